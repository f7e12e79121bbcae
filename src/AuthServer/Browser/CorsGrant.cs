namespace AuthServer.Browser;

/// <summary>
/// The CORS headers AuthServer sends, only to an origin a publishable key allows: the origin itself (never <c>*</c>),
/// no credentials (a publishable key needs no cookie), and <c>Vary: Origin</c> so that no cache hands one origin's
/// answer to another.
/// </summary>
public static class CorsGrant
{
    public static void Apply(HttpResponse response, string origin)
    {
        response.Headers.AccessControlAllowOrigin = origin;
        response.Headers.Vary = "Origin";
    }

    public static void ApplyPreflight(HttpResponse response, string origin)
    {
        Apply(response, origin);
        response.Headers.AccessControlAllowMethods = "POST";
        response.Headers.AccessControlAllowHeaders = "Content-Type";
        response.Headers.AccessControlMaxAge = "600";
    }
}
