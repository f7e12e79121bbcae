using System.Globalization;
using System.Text.Json.Nodes;
using AuthServer.Data;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AuthServer.Admin;

/// <summary>What the document says about requests: each parameter described, and an example of each request body.</summary>
internal sealed class AdminOpenApiRequests : IOpenApiOperationTransformer
{
    private static readonly Dictionary<string, string> Parameters = new(StringComparer.Ordinal)
    {
        ["accountId"] = "The account's ID (acct_…). An account-bound admin key sees only its own account: any other answers 404.",
        ["keyId"] = "The key's ID, which is also its OAuth client_id.",
        ["name"] = "The resource server's name (its audience).",
        ["status"] = "Only keys in this state. Omitted: all.",
        ["environment"] = "Only keys of this environment, test or live. Omitted: both.",
        ["scope"] = "The scope's name, e.g. invoices:read.",
        ["webhookId"] = "The webhook endpoint's ID (whk_…).",
        ["deliveryId"] = "The delivery's ID, from the endpoint's delivery log.",
        ["skip"] = "How many entries to skip (for the next page: skip + take).",
        ["take"] = $"How many entries to return, 1 to {Paging.MaxPageSize}.",
        ["Idempotency-Key"] = "A unique value (e.g. a UUID, visible ASCII) per key to create: a retry with the same value and body " +
            "within 24 hours returns the same key (200, replayed: true, no secret) instead of creating another.",
    };

    /// <summary>An example body per operation ID.</summary>
    private static readonly Dictionary<string, JsonNode> Examples = new(StringComparer.Ordinal)
    {
        ["CreateKey"] = new JsonObject
        {
            ["name"] = "billing-worker", ["scopes"] = new JsonArray("invoices:read"), ["expiresAt"] = "2027-01-31T00:00:00Z", ["environment"] = "live",
        },
        ["UpdateKey"] = new JsonObject { ["name"] = "billing-worker (eu)", ["expiresAt"] = "2027-06-30T00:00:00Z" },
        ["CreateAccount"] = new JsonObject { ["name"] = "Acme", ["keyLimit"] = 10 },
        ["SetKeyLimit"] = new JsonObject { ["keyLimit"] = 25 },
        ["RollKey"] = new JsonObject { ["graceHours"] = 24 },
        ["SetKeyLimits"] = new JsonObject { ["tokensPerMinute"] = 120, ["allowedAddresses"] = new JsonArray("203.0.113.0/24", "2001:db8::/32") },
        ["CreateScope"] = new JsonObject { ["name"] = "invoices:read", ["description"] = "Read invoices", ["resources"] = new JsonArray("invoices-api"), ["liveOnly"] = false },
        ["UpdateScope"] = new JsonObject { ["publishable"] = true },
        ["SetAllowedOrigins"] = new JsonObject { ["allowedOrigins"] = new JsonArray("https://app.example.com", "https://*.example.com", "http://localhost:3000") },
        ["CreateWebhook"] = new JsonObject
        {
            ["url"] = "https://hooks.example.com/authserver", ["eventTypes"] = new JsonArray("key.revoked", "key.expiring_soon"), ["description"] = "Key alerts",
        },
        ["UpdateWebhook"] = new JsonObject { ["enabled"] = true },
        ["CreateInvitation"] = new JsonObject { ["email"] = "ada@example.com", ["role"] = "administrator" },
        ["CreateResourceServer"] = new JsonObject { ["name"] = "invoices-api", ["description"] = "The invoices service", ["introspection"] = false },
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            parameter.Description ??= Parameters.GetValueOrDefault(parameter.Name ?? ""); // the contract tests find any left out
            if (parameter.Name == "status")
            {
                parameter.Schema = new OpenApiSchemaReference(nameof(ApiKeys.ApiKeyStatus), context.Document);
            }

            if (parameter.Name == "environment")
            {
                parameter.Schema = new OpenApiSchemaReference(nameof(ApiKeys.KeyEnvironment), context.Document);
            }

            if (parameter.Name is "skip" or "take" && parameter.Schema is OpenApiSchema number)
            {
                number.Minimum = parameter.Name == "skip" ? "0" : "1";
                number.Maximum = parameter.Name == "take" ? Paging.MaxPageSize.ToString(CultureInfo.InvariantCulture) : null;
            }
        }

        if (operation.RequestBody?.Content is { } content && content.TryGetValue("application/json", out var json))
        {
            json.Example ??= Examples.GetValueOrDefault(operation.OperationId ?? "")?.DeepClone();
        }

        if (operation.OperationId == "CreateKey" && operation.Responses?.GetValueOrDefault("200") is OpenApiResponse replay)
        {
            replay.Description = "A retry with the same Idempotency-Key and body: the same key, replayed: true, secret: null.";
        }

        return Task.CompletedTask;
    }
}
