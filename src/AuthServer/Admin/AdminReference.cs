using Scalar.AspNetCore;

namespace AuthServer.Admin;

/// <summary>
/// An interactive reference of the admin API (Scalar) at <see cref="Path"/>, in Development only: elsewhere the
/// page does not exist, and the OpenAPI document is what tools read.
/// </summary>
internal static class AdminReference
{
    public const string Path = "/scalar";

    public static WebApplication MapAdminReference(this WebApplication app)
    {
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference(Path, options => options
                .WithTitle("AuthServer admin API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .AddDocument(AdminApi.OpenApiDocument));
        }

        return app;
    }
}
