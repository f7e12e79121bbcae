using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using AuthServer.Signing;
using OpenIddict.Validation;
using OpenIddict.Validation.AspNetCore;

namespace AuthServer.Admin;

/// <summary>
/// The admin HTTP API under <c>/admin/v1</c>, protected by access tokens of this same server (audience
/// <see cref="AdminScopes.Audience"/>), validated in-process with the server's own keys.
/// </summary>
public static class AdminApi
{
    public const string BasePath = "/admin/v1";
    public const string OpenApiDocument = "admin";

    public static IServiceCollection AddAdminApi(this IServiceCollection services)
    {
        services.AddOpenIddict().AddValidation(validation =>
        {
            validation.UseLocalServer();
            // Only from the Authorization header: a token in a URL or a form ends up in logs and histories.
            validation.UseAspNetCore()
                .DisableAccessTokenExtractionFromQueryString()
                .DisableAccessTokenExtractionFromBodyForm();
            validation.AddAudiences(AdminScopes.Audience);
            validation.AddEventHandler(RejectTokensOfInactiveKeys.Descriptor);
        });
        // UseLocalServer gives the validation the keys OpenIddict was registered with; rotation changes them later.
        services.AddOptions<OpenIddictValidationOptions>().PostConfigure<SigningKeySet>((options, signingKeys) =>
            options.TokenValidationParameters.IssuerSigningKeyResolver = (_, _, kid, _) => signingKeys.KeysFor(kid));
        services.AddAuthentication(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        services.AddAuthorization(AdminAccessPolicies.AddTo);
        services.AddSingleton<IAuthorizationHandler, AdminAccessHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AdminRefusalWriter>();

        services.AddExceptionHandler<AdminProblems>();
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            options.SerializerOptions.Converters.Add(new StringListConverter());
        });
        services.AddOpenApi(OpenApiDocument, options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("admin/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer<AdminOpenApiDocument>();
            options.AddDocumentTransformer<AdminOpenApiSecurity>();
            options.AddOperationTransformer<AdminOpenApiSecurity>();
            options.AddOperationTransformer<AdminOpenApiProblems>();
            options.AddOperationTransformer<AdminOpenApiRequests>();
            options.AddSchemaTransformer<AdminOpenApiSchemas>();
        });
        return services;
    }

    public static WebApplication MapAdminApi(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments(BasePath), admin => admin.UseMiddleware<AdminResponseHeaders>().UseMiddleware<AdminRouteValues>());

        var admin = app.MapGroup(BasePath).RequireAuthorization();
        admin.MapKeyEndpoints();
        admin.MapPublishableKeyEndpoints();
        admin.MapAccountEndpoints();
        admin.MapCatalogEndpoints();
        admin.MapInvitationEndpoints();
        admin.MapWebhookEndpoints();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapAdminReference();
        return app;
    }
}
