using System.Text.Json;

namespace AuthServer.Tokens;

/// <summary>An RFC 6749 JSON error written before OpenIddict sees the request (by the request guard and transport check).</summary>
public static class OAuthErrorResponse
{
    public static Task WriteInvalidRequestAsync(HttpContext context, int status, string description) =>
        WriteAsync(context, status, "invalid_request", description);

    public static Task WriteAsync(HttpContext context, int status, string error, string description)
    {
        Requests.OAuthRequestDecisions.Of(context).Error = error;
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = "application/json;charset=UTF-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, new Dictionary<string, string>
        {
            ["error"] = error,
            ["error_description"] = description,
        });
    }
}
