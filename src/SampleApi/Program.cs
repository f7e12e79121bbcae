using AuthServer.ResourceServer;
using AuthServer.ResourceServer.Scopes;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using SampleApi.Browser;
using SampleApi.Invoices;

namespace SampleApi;

/// <summary>
/// A small invoices API protected by AuthServer tokens: reading needs <c>invoices:read</c>, writing
/// <c>invoices:write</c>. Section <c>AuthServer</c> says where the tokens come from and how they are checked.
/// <c>SampleApi:Production</c> (true) makes it a production API: it accepts only tokens of live keys, whatever
/// <c>AuthServer:AcceptedEnvironment</c> says. <c>SampleApi:Browser</c> adds the browser page (see <see cref="BrowserOptions"/>).
/// </summary>
public sealed class Program
{
    private Program()
    {
    }

    public static async Task<int> Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddAuthServerAuthentication(builder.Configuration.GetSection(AuthServerResourceOptions.Section));
        if (builder.Configuration.GetValue<bool>("SampleApi:Production"))
        {
            builder.Services.PostConfigure<AuthServerResourceOptions>(options => options.AcceptedEnvironment = "live");
        }
        builder.Services.AddAuthorizationBuilder().AddScopePolicies(InvoiceEndpoints.ReadScope, InvoiceEndpoints.WriteScope);
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton<InvoiceBook>();
        builder.Services.AddBrowserPage(builder.Configuration);

        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // Malformed JSON and the like are the client's error, whatever the environment.
            StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthReportJson.WriteAsync });
        app.MapCallerEndpoint();
        app.MapInvoiceEndpoints();
        app.MapBrowserPage(enabled: !string.IsNullOrEmpty(builder.Configuration[$"{BrowserOptions.Section}:{nameof(BrowserOptions.PublishableKey)}"]));

        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (OptionsValidationException exception)
        {
            await Console.Error.WriteLineAsync($"SampleApi cannot start: {string.Join(" ", exception.Failures)}");
            return 1;
        }
    }
}
