using System.Text.Json;
using System.Text.Json.Serialization;
using AuthServer.ApiKeys;

namespace AuthServer.Admin;

// Request bodies refuse unknown properties, so that a typo ("scope" for "scopes") is an error, not a silent no-op.

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateKeyBody(
    string? Name, List<string>? Scopes, DateTime? ExpiresAt, string? Environment = null, bool? DirectUse = null,
    int? TokensPerMinute = null, List<string>? AllowedAddresses = null);

/// <summary>A key's limits, both replaced: both must be present, so that <c>{}</c> is not taken for "no limits" (<c>null</c> and <c>[]</c> are).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SetKeyLimitsBody([property: JsonRequired] int? TokensPerMinute, [property: JsonRequired] List<string>? AllowedAddresses);

/// <summary>Rename, extend and/or allow or forbid direct use. <c>scopes</c> and <c>secret</c> are accepted only to say why they cannot change.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record UpdateKeyBody(string? Name, DateTime? ExpiresAt, JsonElement? Scopes, JsonElement? Secret, bool? DirectUse = null);

public sealed record CreatedKeyResponse(ApiKeyView Key, string? Secret, bool Replayed, string Note);

/// <summary><c>graceHours</c>: how long the replaced secret keeps working, 0 to 168; omitted (or no body): 24.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RollKeyBody(int? GraceHours = null);

public sealed record RolledKeyResponse(ApiKeyView Key, string Secret, string Note);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateAccountBody(string? Name, int? KeyLimit);

/// <summary><c>keyLimit</c> must be present, so that <c>{}</c> is not taken for "return to the default" (<c>null</c> is).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SetKeyLimitBody([property: JsonRequired] int? KeyLimit);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateScopeBody(string? Name, string? Description, List<string>? Resources, bool LiveOnly);

/// <summary>At least one mark must be given, so that <c>{}</c> is a 400 rather than a silent no-op.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record UpdateScopeBody(bool? LiveOnly = null, bool? Publishable = null);

/// <summary><c>allowedOrigins</c>: exact origins and <c>https://*.example.com</c> patterns; empty: no browser may use the key.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SetAllowedOriginsBody(List<string>? AllowedOrigins);

public sealed record SigningSecretResponse(Browser.PublishableKeyView PublishableKey, string SigningSecret, string Note);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateResourceServerBody(string? Name, string? Description, bool Introspection);

public sealed record ResourceServerCredentials(string ClientId, string ClientSecret, string Note);

public sealed record CreatedResourceServerResponse(Resources.ResourceServerView ResourceServer, ResourceServerCredentials? Credentials);

/// <summary><c>eventTypes</c>: types such as <c>key.revoked</c>, a family (<c>key.*</c>, <c>member.*</c>) or <c>*</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateWebhookBody(string? Url, List<string>? EventTypes, string? Description = null);

/// <summary>At least one field; <c>enabled: true</c> turns an endpoint disabled after failures back on.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record UpdateWebhookBody(string? Url = null, List<string>? EventTypes = null, string? Description = null, bool? Enabled = null);

public sealed record CreatedWebhookResponse(Webhooks.WebhookEndpointView Endpoint, string SigningSecret, string Note);
