using System.Text.Json.Nodes;
using AuthServer.ApiKeys;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AuthServer.Admin;

/// <summary>
/// Makes the generated schemas say what the server accepts: which body fields are required and which may be null,
/// the forbidden <c>UpdateKeyBody</c> fields left out, lists of strings as such (their converter hides them), enums
/// typed, and integers as integers (the server also reads numbers written as strings; the contract does not offer it).
/// </summary>
internal sealed class AdminOpenApiSchemas : IOpenApiSchemaTransformer
{
    private static readonly Dictionary<Type, Body> Bodies = new()
    {
        [typeof(CreateKeyBody)] = new(["scopes"],
        [
            ("name", Text("A name for people. Omitted or null: no name.", nullable: true)),
            ("scopes", Names("The scopes the key's tokens may carry, each defined before (GET /admin/v1/scopes). Fixed for the key's life.")),
            ("expiresAt", Time("When the key stops working, in the future (ISO 8601, UTC). Omitted or null: never.")),
            ("directUse", Flag("true: resource servers may accept the secret itself (x-api-key, introspection of the key); false: only tokens obtained with it. Omitted or null: true.")),
            ("environment", EnvironmentName(
                "`test` for trying things out, `live` for production; shown in the secret's prefix (`authsk_test_…`) and in the key's tokens. " +
                "Test keys cannot hold live-only scopes; the active-key limit counts each environment apart. Omitted or null: `live`.", nullable: true)),
            ("tokensPerMinute", Rate()),
            ("allowedAddresses", Addresses()),
        ]),
        [typeof(SetKeyLimitsBody)] = new(["tokensPerMinute", "allowedAddresses"],
        [
            ("tokensPerMinute", Rate()),
            ("allowedAddresses", Addresses()),
        ]),
        [typeof(UpdateKeyBody)] = new([],
        [
            ("name", Text("The new name. Omitted or null: unchanged.", nullable: true)),
            ("expiresAt", Time("A later expiry (ISO 8601, UTC). Omitted or null: unchanged. `scopes` never change and `secret` is rolled (POST …/roll): sending them is a 400 saying why.")),
            ("directUse", Flag("Allow (true) or forbid (false) resource servers to accept the secret itself; every server instance honours it within a second. Omitted or null: unchanged.")),
        ], Removed: ["scopes", "secret"]),
        [typeof(RollKeyBody)] = new([],
        [
            ("graceHours", Integer("How many hours the current secret keeps working beside the new one, 0 (stops now) to 168 (7 days). Omitted or null: 24. " +
                "Rolling again during a grace stops the older secret at once.")),
        ]),
        [typeof(CreateAccountBody)] = new(["name"],
        [
            ("name", Text("The account's name.", nullable: false)),
            ("keyLimit", Integer("The most active keys the account may have. Omitted or null: the server's default (ApiKeys:DefaultKeyLimit).")),
        ]),
        [typeof(SetKeyLimitBody)] = new(["keyLimit"],
        [
            ("keyLimit", Integer("The most active keys the account may have; null returns to the server's default. Required: `{}` is a 400.")),
        ]),
        [typeof(CreateScopeBody)] = new(["name", "resources"],
        [
            ("name", Text("The scope's name: letters, digits, ':', '.', '_', '-'. It never changes.", nullable: false)),
            ("description", Text("What the scope allows, for people.", nullable: true)),
            ("resources", Names("The resource servers (audiences) whose tokens the scope goes into; each registered before.")),
            ("liveOnly", new OpenApiSchema
            {
                Type = JsonSchemaType.Boolean,
                Default = JsonValue.Create(false),
                Description = "true: test keys can neither hold nor use the scope.",
            }),
        ]),
        [typeof(UpdateScopeBody)] = new([],
        [
            ("liveOnly", Flag("true: test keys can no longer hold or use the scope (those holding it are refused it at the token endpoint " +
                "within about a second); false: open to test keys again. Omitted or null: unchanged.")),
            ("publishable", Flag("true: the publishable keys of keys holding the scope may reach it from browsers (never an admin scope); " +
                "false: withdrawn from browsers within about a second. Omitted or null: unchanged. At least one of the two: `{}` is a 400.")),
        ]),
        [typeof(SetAllowedOriginsBody)] = new(["allowedOrigins"],
        [
            ("allowedOrigins", Names("Exact origins (`https://app.example.com`, `http://localhost:3000`: scheme, host and port, no path) and " +
                "wildcard subdomains (`https://*.example.com`, not `https://example.com` itself); at most 50. Empty: no browser may use the key.")),
        ]),
        [typeof(CreateInvitationBody)] = new(["email", "role"],
        [
            ("email", Text("The email address of the person to invite; the link is for them alone.", nullable: false)),
        ]),
        [typeof(CreateWebhookBody)] = new(["url", "eventTypes"],
        [
            ("url", Text("The https:// address that receives the events; it must not resolve to a loopback, private or link-local address " +
                "(unless the operator allows that network).", nullable: false)),
            ("eventTypes", Names("Event types (`key.revoked`…), a family (`key.*`, `member.*`) or `*` for all; an unknown type is a 400.")),
            ("description", Text("What the endpoint is, for people; at most 200 characters.", nullable: true)),
        ]),
        [typeof(UpdateWebhookBody)] = new([],
        [
            ("url", Text("A new address, checked like a new endpoint's. Omitted or null: unchanged.", nullable: true)),
            ("eventTypes", Names("New event types. Omitted or null: unchanged.")),
            ("description", Text("A new description. Omitted or null: unchanged.", nullable: true)),
            ("enabled", Flag("false: stop delivering; true: deliver again, with the failure count started afresh. Omitted or null: unchanged. " +
                "At least one field: `{}` is a 400.")),
        ]),
        [typeof(CreateResourceServerBody)] = new(["name"],
        [
            ("name", Text("The resource server's name, which is the audience (`aud`) of its tokens.", nullable: false)),
            ("description", Text("What the resource server is, for people.", nullable: true)),
            ("introspection", new OpenApiSchema
            {
                Type = JsonSchemaType.Boolean,
                Default = JsonValue.Create(false),
                Description = "true: also issue introspection credentials, returned once in this response.",
            }),
        ]),
    };

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (schema.Type is { } types && types.HasFlag(JsonSchemaType.Integer) && types.HasFlag(JsonSchemaType.String))
        {
            schema.Type = types & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        if (type == typeof(List<string>))
        {
            schema.Type = JsonSchemaType.Array;
            schema.Items = new OpenApiSchema { Type = JsonSchemaType.String };
        }

        if (type == typeof(KeyEnvironment))
        {
            schema.Type = JsonSchemaType.String;
            schema.Enum = [JsonValue.Create("live"), JsonValue.Create("test")];
            schema.Description = "test: for trying things out; live: for production (every key made before environments existed).";
        }

        if (type == typeof(ApiKeyStatus))
        {
            schema.Type = JsonSchemaType.String;
            schema.Description = "active: usable; expired: past its expiresAt; revoked: revoked, for good.";
        }

        if (context.JsonPropertyInfo is null && Bodies.TryGetValue(type, out var body))
        {
            schema.Required = new HashSet<string>(body.Required, StringComparer.Ordinal);
            schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
            foreach (var removed in body.Removed ?? [])
            {
                schema.Properties.Remove(removed);
            }

            foreach (var (name, property) in body.Properties)
            {
                schema.Properties[name] = property;
            }
        }

        return Task.CompletedTask;
    }

    private static OpenApiSchema Text(string description, bool nullable) =>
        new() { Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String, Description = description };

    private static OpenApiSchema Names(string description) => new()
    {
        Type = JsonSchemaType.Array,
        Items = new OpenApiSchema { Type = JsonSchemaType.String },
        MinItems = 1,
        Description = description,
    };

    private static OpenApiSchema EnvironmentName(string description, bool nullable) => new()
    {
        Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String,
        Enum = nullable ? [JsonValue.Create("live"), JsonValue.Create("test"), null!] : [JsonValue.Create("live"), JsonValue.Create("test")],
        Description = description,
    };

    private static OpenApiSchema Time(string description) =>
        new() { Type = JsonSchemaType.String | JsonSchemaType.Null, Format = "date-time", Description = description };

    private static OpenApiSchema Flag(string description) =>
        new() { Type = JsonSchemaType.Boolean | JsonSchemaType.Null, Description = description };

    private static OpenApiSchema Integer(string description) =>
        new() { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32", Minimum = "0",
            Maximum = Accounts.AccountService.MaxKeyLimit.ToString(System.Globalization.CultureInfo.InvariantCulture), Description = description };

    private static OpenApiSchema Rate() => new()
    {
        Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32", Minimum = "1",
        Maximum = Limits.KeyLimitsRule.MaxTokensPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Description = "Token requests the key may make per minute, on all server instances together when they share Redis; more get 429. " +
            "Null (or omitted at creation): the server's Throttling:TokensPerKey.",
    };

    private static OpenApiSchema Addresses() => new()
    {
        Type = JsonSchemaType.Array | JsonSchemaType.Null,
        Items = new OpenApiSchema { Type = JsonSchemaType.String },
        MaxItems = Limits.AddressAllowList.MaxEntries,
        Description = "CIDR blocks (`203.0.113.0/24`, `2001:db8::/32`) or single addresses token requests must come from; a request from elsewhere " +
            "is answered like a wrong secret (401 invalid_client). Null or empty (or omitted at creation): any address.",
    };

    private sealed record Body(string[] Required, (string Name, OpenApiSchema Schema)[] Properties, string[]? Removed = null);
}
