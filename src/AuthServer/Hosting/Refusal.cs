namespace AuthServer.Hosting;

/// <summary>
/// How the hosting middlewares refuse a request: at the OAuth endpoints (<c>/connect</c>, <c>/.well-known</c>)
/// an RFC 6749 JSON <c>invalid_request</c> (400), which is what OAuth clients parse; elsewhere an RFC 9457 problem.
/// </summary>
public static class Refusal
{
    public static bool IsOAuthEndpoint(PathString path) =>
        path.StartsWithSegments("/connect") || path.StartsWithSegments("/.well-known");

    public static Task WriteAsync(HttpContext context, int problemStatus, string title, string detail) =>
        IsOAuthEndpoint(context.Request.Path)
            ? Tokens.OAuthErrorResponse.WriteInvalidRequestAsync(context, StatusCodes.Status400BadRequest, detail)
            : Results.Problem(statusCode: problemStatus, title: title, detail: detail).ExecuteAsync(context);
}
