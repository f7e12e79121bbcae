using System.Net;
using AuthServer.Admin;
using AuthServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Tests;

/// <summary>
/// Every admin endpoint × every kind of caller, from one table. A new endpoint that is not in the table
/// fails <see cref="Every_admin_endpoint_is_in_the_table"/>.
/// </summary>
public sealed class AdminAuthorizationMatrixTests(AdminWorld world) : IClassFixture<AdminWorld>
{
    public enum Caller
    {
        Anonymous,
        Expired,
        Viewer,
        Administrator,
        OtherAdministrator,
        Operator,
    }

    /// <summary>Expected status for: anonymous, expired, viewer, administrator, other account's administrator, operator.</summary>
    private sealed record Row(string Method, string Route, Func<AdminWorld, Task<(string Path, object? Body)>> Request, int[] Expected);

    private static readonly Row[] Table =
    [
        new("GET", "/admin/v1/accounts/{accountId}/keys", w => Plain($"/admin/v1/accounts/{w.Acme.Id}/keys"), [401, 401, 200, 200, 404, 200]),
        new("POST", "/admin/v1/accounts/{accountId}/keys", w => With($"/admin/v1/accounts/{w.Acme.Id}/keys", new { name = "matrix", scopes = new[] { "invoices:read" } }), [401, 401, 403, 201, 404, 201]),
        new("GET", "/admin/v1/accounts/{accountId}/keys/{keyId}", async w => ($"/admin/v1/accounts/{w.Acme.Id}/keys/{await FreshKey(w)}", null), [401, 401, 200, 200, 404, 200]),
        new("PATCH", "/admin/v1/accounts/{accountId}/keys/{keyId}", async w => ($"/admin/v1/accounts/{w.Acme.Id}/keys/{await FreshKey(w)}", new { name = "renamed" }), [401, 401, 403, 200, 404, 200]),
        new("POST", "/admin/v1/accounts/{accountId}/keys/{keyId}/revoke", async w => ($"/admin/v1/accounts/{w.Acme.Id}/keys/{await FreshKey(w)}/revoke", null), [401, 401, 403, 200, 404, 200]),
        new("PUT", "/admin/v1/accounts/{accountId}/keys/{keyId}/limits", async w => ($"/admin/v1/accounts/{w.Acme.Id}/keys/{await FreshKey(w)}/limits", new { tokensPerMinute = 60, allowedAddresses = new[] { "10.0.0.0/8" } }), [401, 401, 403, 200, 404, 200]),
        new("POST", "/admin/v1/accounts/{accountId}/keys/{keyId}/roll", async w => ($"/admin/v1/accounts/{w.Acme.Id}/keys/{await FreshKey(w)}/roll", new { graceHours = 1 }), [401, 401, 403, 201, 404, 201]),
        new("POST", "/admin/v1/accounts/{accountId}/keys/{keyId}/roll/end", async w => ($"/admin/v1/accounts/{w.Acme.Id}/keys/{await FreshRolledKey(w)}/roll/end", null), [401, 401, 403, 200, 404, 200]),
        new("GET", "/admin/v1/accounts/{accountId}/keys/{keyId}/publishable", async w => ($"/admin/v1/accounts/{w.Acme.Id}/keys/{await FreshPublishableKey(w)}/publishable", null), [401, 401, 200, 200, 404, 200]),
        new("PUT", "/admin/v1/accounts/{accountId}/keys/{keyId}/publishable", async w => ($"/admin/v1/accounts/{w.Acme.Id}/keys/{await FreshKey(w)}/publishable", new { allowedOrigins = new[] { "https://app.example.com" } }), [401, 401, 403, 201, 404, 201]),
        new("POST", "/admin/v1/accounts/{accountId}/keys/{keyId}/publishable/regenerate", async w => ($"/admin/v1/accounts/{w.Acme.Id}/keys/{await FreshPublishableKey(w)}/publishable/regenerate", null), [401, 401, 403, 200, 404, 200]),
        new("DELETE", "/admin/v1/accounts/{accountId}/keys/{keyId}/publishable", async w => ($"/admin/v1/accounts/{w.Acme.Id}/keys/{await FreshPublishableKey(w)}/publishable", null), [401, 401, 403, 204, 404, 204]),
        new("POST", "/admin/v1/accounts/{accountId}/keys/{keyId}/signing-secret", async w => ($"/admin/v1/accounts/{w.Acme.Id}/keys/{await FreshPublishableKey(w)}/signing-secret", null), [401, 401, 403, 201, 404, 201]),
        new("POST", "/admin/v1/accounts", _ => With("/admin/v1/accounts", new { name = "Matrix account" }), [401, 401, 403, 403, 403, 201]),
        new("GET", "/admin/v1/accounts", _ => Plain("/admin/v1/accounts"), [401, 401, 403, 403, 403, 200]),
        new("GET", "/admin/v1/accounts/{accountId}", w => Plain($"/admin/v1/accounts/{w.Acme.Id}"), [401, 401, 200, 200, 404, 200]),
        new("PUT", "/admin/v1/accounts/{accountId}/key-limit", w => With($"/admin/v1/accounts/{w.Acme.Id}/key-limit", new { keyLimit = 1000 }), [401, 401, 403, 403, 403, 200]),
        new("GET", "/admin/v1/accounts/{accountId}/audit", w => Plain($"/admin/v1/accounts/{w.Acme.Id}/audit"), [401, 401, 200, 200, 404, 200]),
        new("GET", "/admin/v1/accounts/{accountId}/events", w => Plain($"/admin/v1/accounts/{w.Acme.Id}/events"), [401, 401, 200, 200, 404, 200]),
        new("POST", "/admin/v1/accounts/{accountId}/invitations", w => With($"/admin/v1/accounts/{w.Acme.Id}/invitations", new { email = $"m{Guid.NewGuid():N}@acme.test", role = "member" }), [401, 401, 403, 201, 404, 201]),
        new("GET", "/admin/v1/accounts/{accountId}/webhooks", w => Plain($"/admin/v1/accounts/{w.Acme.Id}/webhooks"), [401, 401, 200, 200, 404, 200]),
        new("POST", "/admin/v1/accounts/{accountId}/webhooks", w => With($"/admin/v1/accounts/{w.Acme.Id}/webhooks", new { url = PublicReceiver, eventTypes = new[] { "key.revoked" } }), [401, 401, 403, 201, 404, 201]),
        new("GET", "/admin/v1/accounts/{accountId}/webhooks/{webhookId}", async w => ($"/admin/v1/accounts/{w.Acme.Id}/webhooks/{await SharedWebhook(w)}", null), [401, 401, 200, 200, 404, 200]),
        new("PATCH", "/admin/v1/accounts/{accountId}/webhooks/{webhookId}", async w => ($"/admin/v1/accounts/{w.Acme.Id}/webhooks/{await SharedWebhook(w)}", new { description = SharedWebhookDescription }), [401, 401, 403, 200, 404, 200]),
        new("DELETE", "/admin/v1/accounts/{accountId}/webhooks/{webhookId}", async w => ($"/admin/v1/accounts/{w.Acme.Id}/webhooks/{await FreshWebhook(w)}", null), [401, 401, 403, 204, 404, 204]),
        new("GET", "/admin/v1/accounts/{accountId}/webhooks/{webhookId}/deliveries", async w => ($"/admin/v1/accounts/{w.Acme.Id}/webhooks/{await SharedWebhook(w)}/deliveries", null), [401, 401, 200, 200, 404, 200]),
        new("POST", "/admin/v1/accounts/{accountId}/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver", async w => await RedeliveryPath(w), [401, 401, 403, 202, 404, 202]),
        new("GET", "/admin/v1/audit", _ => Plain("/admin/v1/audit"), [401, 401, 403, 403, 403, 200]),
        new("GET", "/admin/v1/scopes", _ => Plain("/admin/v1/scopes"), [401, 401, 200, 200, 200, 200]),
        new("POST", "/admin/v1/scopes", _ => With("/admin/v1/scopes", new { name = $"matrix:{Guid.NewGuid():N}", resources = new[] { TestWorld.InvoicesApi } }), [401, 401, 403, 403, 403, 201]),
        new("PATCH", "/admin/v1/scopes/{scope}", _ => With("/admin/v1/scopes/invoices:write", new { liveOnly = false }), [401, 401, 403, 403, 403, 200]),
        new("GET", "/admin/v1/resource-servers", _ => Plain("/admin/v1/resource-servers"), [401, 401, 403, 403, 403, 200]),
        new("POST", "/admin/v1/resource-servers", _ => With("/admin/v1/resource-servers", new { name = $"matrix-{Guid.NewGuid():N}", introspection = true }), [401, 401, 403, 403, 403, 201]),
        new("POST", "/admin/v1/resource-servers/{name}/credentials", _ => Plain($"/admin/v1/resource-servers/{TestWorld.ReportsApi}/credentials"), [401, 401, 403, 403, 403, 200]),
    ];

    public static TheoryData<int, Caller> Cases()
    {
        var cases = new TheoryData<int, Caller>();
        for (var row = 0; row < Table.Length; row++)
        {
            foreach (var caller in Enum.GetValues<Caller>())
            {
                cases.Add(row, caller);
            }
        }

        return cases;
    }

    /// <summary>Bodies no endpoint accepts: the wrong type (an array for an object), an unknown field, broken JSON.</summary>
    private static readonly string[] IllFormedBodies = ["[1]", "{\"noSuchField\": true}", "{\"name\": "];

    public static TheoryData<int, Caller, string> IllFormedBodyCases()
    {
        var cases = new TheoryData<int, Caller, string>();
        for (var row = 0; row < Table.Length; row++)
        {
            foreach (var (caller, body) in TakesBody(Table[row]) ? Enum.GetValues<Caller>().SelectMany(c => IllFormedBodies.Select(b => (c, b))) : [])
            {
                cases.Add(row, caller, body);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_endpoint_answers_each_caller_as_the_table_says(int row, Caller caller)
    {
        var entry = Table[row];
        var (path, body) = await entry.Request(world);
        await AssertAnswerAsync(entry, caller, path, body, entry.Expected[(int)caller]);
    }

    /// <summary>Who may call is decided before the body is read: a refused caller learns nothing about the body's fields.</summary>
    [Theory]
    [MemberData(nameof(IllFormedBodyCases))]
    public async Task An_ill_formed_body_gets_the_same_refusal_as_a_good_one(int row, Caller caller, string illFormed)
    {
        var entry = Table[row];
        var (path, _) = await entry.Request(world);
        var expected = entry.Expected[(int)caller];
        await AssertAnswerAsync(entry, caller, path, illFormed, expected < 300 ? 400 : expected);
    }

    [Fact]
    public void Every_admin_endpoint_declares_who_may_call_it()
    {
        var undeclared = AdminEndpoints()
            .Where(e => !e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy?.StartsWith("admin:", StringComparison.Ordinal) == true))
            .Select(e => e.RoutePattern.RawText)
            .ToList();

        Assert.Empty(undeclared);
    }

    private async Task AssertAnswerAsync(Row entry, Caller caller, string path, object? body, int expected)
    {
        if (caller == Caller.Expired && DateTime.UtcNow < world.ExpiringTokenExpiresAt.AddMilliseconds(1100))
        {
            await Task.Delay(world.ExpiringTokenExpiresAt.AddMilliseconds(1100) - DateTime.UtcNow);
        }

        using var response = await world.AdminAsync(new HttpMethod(entry.Method), path, TokenOf(caller), body);

        Assert.True((int)response.StatusCode == expected,
            $"{entry.Method} {entry.Route} as {caller}: expected {expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        if (expected >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        if (expected == 401)
        {
            Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
        }

        if (expected == 403)
        {
            Assert.Contains("insufficient_scope", response.Headers.WwwAuthenticate.ToString());
            Assert.True((await response.ReadProblemAsync()).TryGetProperty("requiredScope", out _));
        }
    }

    [Fact]
    public void Every_admin_endpoint_is_in_the_table()
    {
        var endpoints = AdminEndpoints()
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {Normalize(e.RoutePattern.RawText!)}"))
            .Order()
            .ToList();

        Assert.Equal(Table.Select(r => $"{r.Method} {r.Route}").Order(), endpoints);
    }

    private static bool TakesBody(Row row) =>
        row.Method is "POST" or "PUT" or "PATCH" && !row.Route.EndsWith("/revoke", StringComparison.Ordinal) && !row.Route.EndsWith("/roll/end", StringComparison.Ordinal) && !row.Route.EndsWith("/credentials", StringComparison.Ordinal) &&
        !row.Route.EndsWith("/regenerate", StringComparison.Ordinal) && !row.Route.EndsWith("/signing-secret", StringComparison.Ordinal) && !row.Route.EndsWith("/redeliver", StringComparison.Ordinal);

    private IEnumerable<RouteEndpoint> AdminEndpoints() => world.Services.GetRequiredService<EndpointDataSource>().Endpoints
        .OfType<RouteEndpoint>()
        .Where(e => e.RoutePattern.RawText?.StartsWith(AdminApi.BasePath, StringComparison.Ordinal) == true);

    private string? TokenOf(Caller caller) => caller switch
    {
        Caller.Anonymous => null,
        Caller.Expired => world.ExpiringToken,
        Caller.Viewer => world.ViewerToken,
        Caller.Administrator => world.AdministratorToken,
        Caller.OtherAdministrator => world.OtherAdministratorToken,
        _ => world.OperatorToken,
    };

    private static string Normalize(string route) => route.TrimEnd('/');

    private static Task<(string, object?)> Plain(string path) => Task.FromResult<(string, object?)>((path, null));

    private static Task<(string, object?)> With(string path, object body) => Task.FromResult<(string, object?)>((path, body));

    private const string PublicReceiver = "https://93.184.216.34/hooks";
    private const string SharedWebhookDescription = "matrix";

    /// <summary>One endpoint for the rows that leave it in place, so the table stays under an account's endpoint limit.</summary>
    private static async Task<string> SharedWebhook(AdminWorld world) =>
        await world.InScope<AuthServer.Data.AuthDbContext, string?>(db => db.Set<AuthServer.Webhooks.WebhookEndpoint>()
            .Where(e => e.AccountId == world.Acme.Id && e.Description == SharedWebhookDescription).Select(e => e.Id).FirstOrDefaultAsync())
        ?? await FreshWebhook(world, SharedWebhookDescription);

    private static async Task<string> FreshWebhook(AdminWorld world, string? description = null) =>
        (await world.InScope<AuthServer.Webhooks.WebhookService, AuthServer.Webhooks.CreatedWebhookEndpoint>(service => service.CreateAsync(
            world.Acme.Id, new(PublicReceiver, ["*"], description), TestWorld.TestActor, CancellationToken.None))).Endpoint.Id;

    private static async Task<(string, object?)> RedeliveryPath(AdminWorld world)
    {
        var webhookId = await SharedWebhook(world);
        await FreshKey(world); // an event, so a delivery
        var deliveryId = await world.InScope<AuthServer.Data.AuthDbContext, long>(db =>
            db.Set<AuthServer.Webhooks.WebhookDelivery>().Where(d => d.EndpointId == webhookId).MaxAsync(d => d.Id));
        return ($"/admin/v1/accounts/{world.Acme.Id}/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver", null);
    }

    private static async Task<string> FreshKey(AdminWorld world) => (await world.CreateKeyAsync(["invoices:read"])).Key.KeyId;

    private static async Task<string> FreshRolledKey(AdminWorld world)
    {
        var keyId = await FreshKey(world);
        await world.InScope<AuthServer.ApiKeys.KeySecretRoller, AuthServer.ApiKeys.RolledApiKey>(roller =>
            roller.RollAsync(AuthServer.Accounts.AccountScope.Every, keyId, TimeSpan.FromHours(1), TestWorld.TestActor, CancellationToken.None));
        return keyId;
    }

    private static async Task<string> FreshPublishableKey(AdminWorld world)
    {
        var keyId = await FreshKey(world);
        await world.Provision.SetAllowedOriginsAsync(keyId, "https://app.example.com");
        return keyId;
    }
}
