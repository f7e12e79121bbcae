using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AuthServer.Admin;

/// <summary>The document's title, description, tags and server.</summary>
internal sealed class AdminOpenApiDocument : IOpenApiDocumentTransformer
{
    private static readonly Dictionary<string, string> Tags = new(StringComparer.Ordinal)
    {
        ["Keys"] = "API keys of one account: list, create (the secret is shown once), read, rename or extend, revoke.",
        ["Browser mode"] = "A key's publishable key (pk_…, safe in web pages), the origins it may be used from, and its signing secret for identity tokens.",
        ["Accounts"] = "Accounts and their active-key limits.",
        ["Audit"] = "Who changed what, when and from where: every change made through this API or the CLI.",
        ["Events"] = "What happened to an account's keys and members (created, renamed, extended, revoked, expiring soon, expired, joined…), in order, each with a stable ID; never a secret.",
        ["Webhooks"] = "HTTPS endpoints that receive an account's events as Standard Webhooks (signed, retried with backoff over about 27 hours), each with its delivery log.",
        ["Scopes"] = "The scopes keys can hold, each granting access to one or more resource servers.",
        ["Resource servers"] = "The APIs that accept this server's tokens (token audiences), and their introspection credentials.",
        ["People"] = "Invitations of people into an account's web console (/console).",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "AuthServer admin API";
        document.Info.Description =
            "Manage accounts, API keys, scopes and resource servers. Authenticate with an access token from this server's " +
            "/connect/token (client_credentials) for a key holding admin:keys:read (viewer), admin:keys (administrator) or " +
            "admin:operator; each operation lists the scopes that may call it. Errors are RFC 9457 problem details.";
        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            tag.Description ??= Tags.GetValueOrDefault(tag.Name ?? ""); // the lint test finds any left out
        }

        // The API is where the document is: a relative URL, rather than the host name this request happened to use.
        document.Servers = [new OpenApiServer { Url = "/", Description = "The AuthServer that serves this document." }];

        return Task.CompletedTask;
    }
}
