using System.Net;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>A key's browser mode through the admin API: origins validated one by one, the signing secret shown once, every change audited.</summary>
public sealed class AdminPublishableKeyTests(AdminWorld world) : IClassFixture<AdminWorld>
{
    private async Task<string> KeyAsync() => (await world.CreateKeyAsync(["invoices:read"])).Key.KeyId;

    private string Path(string keyId, string rest = "/publishable") => $"/admin/v1/accounts/{world.Acme.Id}/keys/{keyId}{rest}";

    [Fact]
    public async Task Setting_origins_gives_the_key_a_publishable_key_shown_beside_it_in_the_list()
    {
        var keyId = await KeyAsync();

        using var created = await world.AdminAsync(HttpMethod.Put, Path(keyId), world.AdministratorToken,
            new { allowedOrigins = new[] { "HTTPS://App.Example.com", "https://*.example.com", "http://localhost:3000", "https://app.example.com" } });
        using var updated = await world.AdminAsync(HttpMethod.Put, Path(keyId), world.AdministratorToken, new { allowedOrigins = new[] { "https://other.example.com" } });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = await created.ReadJsonAsync();
        var pk = view.GetProperty("publishableKey").GetString()!;
        Assert.StartsWith("pk_live_", pk, StringComparison.Ordinal);
        Assert.Equal(["https://app.example.com", "https://*.example.com", "http://localhost:3000"],
            view.GetProperty("allowedOrigins").EnumerateArray().Select(e => e.GetString()));
        Assert.False(view.GetProperty("hasSigningSecret").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(pk, (await updated.ReadJsonAsync()).GetProperty("publishableKey").GetString());
        var read = await (await world.AdminAsync(HttpMethod.Get, Path(keyId), world.ViewerToken)).ReadJsonAsync();
        Assert.Equal(["https://other.example.com"], read.GetProperty("allowedOrigins").EnumerateArray().Select(e => e.GetString()));
        var list = await (await world.AdminAsync(HttpMethod.Get, $"/admin/v1/accounts/{world.Acme.Id}/keys?take=100", world.ViewerToken)).ReadJsonAsync();
        Assert.Equal(pk, list.GetProperty("items").EnumerateArray().Single(k => k.GetProperty("keyId").GetString() == keyId).GetProperty("publishableKey").GetString());
    }

    [Theory]
    [InlineData("https://app.example.com/")]
    [InlineData("app.example.com")]
    [InlineData("https://*.com")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://app.example.com\n")]
    public async Task A_bad_origin_is_a_400_naming_allowedOrigins_and_changes_nothing(string origin)
    {
        var keyId = await KeyAsync();

        using var response = await world.AdminAsync(HttpMethod.Put, Path(keyId), world.AdministratorToken, new { allowedOrigins = new[] { "https://ok.example.com", origin } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadProblemAsync();
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty("allowedOrigins", out _), problem.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await world.AdminAsync(HttpMethod.Get, Path(keyId), world.ViewerToken)).StatusCode);
    }

    [Fact]
    public async Task Missing_or_too_many_origins_are_a_400()
    {
        var keyId = await KeyAsync();

        using var missing = await world.AdminAsync(HttpMethod.Put, Path(keyId), world.AdministratorToken, new { });
        using var tooMany = await world.AdminAsync(HttpMethod.Put, Path(keyId), world.AdministratorToken,
            new { allowedOrigins = Enumerable.Range(0, 51).Select(i => $"https://a{i}.example.com").ToArray() });

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("at most 50", (await tooMany.ReadProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_signing_secret_is_shown_once_and_never_again()
    {
        var keyId = await KeyAsync();
        await world.AdminAsync(HttpMethod.Put, Path(keyId), world.AdministratorToken, new { allowedOrigins = new[] { "https://app.example.com" } });

        using var generated = await world.AdminAsync(HttpMethod.Post, Path(keyId, "/signing-secret"), world.AdministratorToken);

        Assert.Equal(HttpStatusCode.Created, generated.StatusCode);
        var body = await generated.ReadJsonAsync();
        var secret = body.GetProperty("signingSecret").GetString()!;
        Assert.StartsWith("authsk_", secret, StringComparison.Ordinal);
        Assert.True(body.GetProperty("publishableKey").GetProperty("hasSigningSecret").GetBoolean());
        Assert.Contains("shown only in this response", body.GetProperty("note").GetString(), StringComparison.Ordinal);
        var read = await (await world.AdminAsync(HttpMethod.Get, Path(keyId), world.OperatorToken)).Content.ReadAsStringAsync();
        var audit = await (await world.AdminAsync(HttpMethod.Get, $"/admin/v1/accounts/{world.Acme.Id}/audit?take=100", world.OperatorToken)).Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, read, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, audit, StringComparison.Ordinal);
        Assert.Contains("key.signing_secret_generated", audit, StringComparison.Ordinal);
        Assert.Contains("key.publishable_key_created", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signing_secret_needs_a_publishable_key_first()
    {
        using var response = await world.AdminAsync(HttpMethod.Post, Path(await KeyAsync(), "/signing-secret"), world.AdministratorToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("set its allowed origins", (await response.ReadProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Regenerating_replaces_the_publishable_key_and_removing_ends_browser_mode()
    {
        var keyId = await KeyAsync();
        var first = await (await world.AdminAsync(HttpMethod.Put, Path(keyId), world.AdministratorToken, new { allowedOrigins = new[] { "https://app.example.com" } })).ReadJsonAsync();

        var second = await (await world.AdminAsync(HttpMethod.Post, Path(keyId, "/publishable/regenerate"), world.AdministratorToken)).ReadJsonAsync();
        using var removed = await world.AdminAsync(HttpMethod.Delete, Path(keyId), world.AdministratorToken);

        Assert.NotEqual(first.GetProperty("publishableKey").GetString(), second.GetProperty("publishableKey").GetString());
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await world.AdminAsync(HttpMethod.Get, Path(keyId), world.ViewerToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await world.AdminAsync(HttpMethod.Delete, Path(keyId), world.AdministratorToken)).StatusCode);
    }

    [Fact]
    public async Task A_revoked_key_s_browser_mode_cannot_be_changed()
    {
        var keyId = await KeyAsync();
        await world.RevokeKeyAsync(keyId);

        using var response = await world.AdminAsync(HttpMethod.Put, Path(keyId), world.AdministratorToken, new { allowedOrigins = new[] { "https://app.example.com" } });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task An_operator_marks_a_scope_publishable_and_never_an_admin_scope()
    {
        var scope = $"adm-{Guid.NewGuid():N}"[..20];
        await world.CreateScopeAsync(scope, TestWorld.InvoicesApi);

        using var marked = await world.AdminAsync(HttpMethod.Patch, $"/admin/v1/scopes/{scope}", world.OperatorToken, new { publishable = true });
        using var admin = await world.AdminAsync(HttpMethod.Patch, "/admin/v1/scopes/admin:keys", world.OperatorToken, new { publishable = true });
        using var nothing = await world.AdminAsync(HttpMethod.Patch, $"/admin/v1/scopes/{scope}", world.OperatorToken, new { });

        Assert.Equal(HttpStatusCode.OK, marked.StatusCode);
        var view = await marked.ReadJsonAsync();
        Assert.True(view.GetProperty("publishable").GetBoolean());
        Assert.False(view.GetProperty("liveOnly").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, admin.StatusCode);
        Assert.Contains("never be reached from a browser", (await admin.ReadProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, nothing.StatusCode);
        var listed = await (await world.AdminAsync(HttpMethod.Get, "/admin/v1/scopes", world.ViewerToken)).ReadJsonAsync();
        Assert.True(listed.EnumerateArray().Single(s => s.GetProperty("name").GetString() == scope).GetProperty("publishable").GetBoolean());
    }
}
