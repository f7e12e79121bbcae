using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SampleApi;

/// <summary><c>GET /health</c>: the overall status and each check's, with its description (e.g. whether revocations are followed).</summary>
internal static class HealthReportJson
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(entry => entry.Key, entry => new { status = entry.Value.Status.ToString(), description = entry.Value.Description }),
        }, JsonSerializerOptions.Web, context.RequestAborted);
    }
}
