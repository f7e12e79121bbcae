using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>With every log category at Trace, no secret reaches the logs, whatever the client sends.</summary>
public sealed class SecretLoggingTests(SecretLoggingTests.World world) : IClassFixture<SecretLoggingTests.World>
{
    public sealed class World() : TestWorld(new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace",
        ["Logging:LogLevel:OpenIddict"] = "Trace",
    });

    [Fact]
    public async Task No_secret_appears_in_any_log_line()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        var revoked = await world.CreateKeyAsync(["invoices:read"]);
        await world.RevokeKeyAsync(revoked.Key.KeyId);
        var test = await world.CreateKeyAsync(["invoices:read"], environment: ApiKeys.KeyEnvironment.Test);
        var oldShape = await world.WithSecretOfTheOldShapeAsync(await world.CreateKeyAsync(["invoices:read"]));
        await world.Http.GetAccessTokenAsync(test.Key.KeyId, test.Secret);
        await world.Http.GetAccessTokenAsync(oldShape.Key.KeyId, oldShape.Secret);
        await world.Http.RequestTokenAsync(test.Secret, test.Key.KeyId);
        await world.Http.RequestTokenAsync(oldShape.Key.KeyId, oldShape.Secret, basic: false);

        var token = await world.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
        await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret, basic: false);
        await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret[..^1] + "x");
        await world.Http.RequestTokenAsync(revoked.Key.KeyId, revoked.Secret);
        await world.Http.RequestTokenAsync(key.Secret, key.Key.KeyId);               // ID and secret swapped
        await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret, scope: "nope");
        await world.Http.IntrospectAsync(world.Invoices.ClientId, world.Invoices.ClientSecret, token);
        await world.Http.GetAsync($"/connect/token?grant_type=client_credentials&client_id={key.Key.KeyId}&client_secret={key.Secret}");
        await world.Http.PostAsync($"/admin/v1/scopes?secret={key.Secret}", null);

        await world.Http.RequestTokenAsync("ak_forged\nINFO forged log line", key.Secret);

        // Secrets presented directly to a resource server, which introspects them: live, revoked, mistyped, unknown,
        // with each hint, in both paths (an unusual shape goes through OpenIddict's pipeline, which logs the request).
        foreach (var secret in new[] { key.Secret, revoked.Secret, test.Secret, oldShape.Secret, key.Secret[..^1] + "x", key.Secret[..30] })
        {
            foreach (var hint in new[] { "api_key", "access_token", null })
            {
                using (await DirectKeys.SendAsync(world.Http, world.Invoices.ClientId, world.Invoices.ClientSecret, secret, hint))
                using (await DirectKeys.SendAsync(world.Http, world.Invoices.ClientId, world.Invoices.ClientSecret, secret, hint, basic: false, presenter: "203.0.113.9"))
                {
                }
            }
        }

        var secrets = new[] { key.Secret, revoked.Secret, test.Secret, oldShape.Secret, world.Invoices.ClientSecret, world.Reports.ClientSecret }
            .Select(secret => secret[^49..]) // the random part, after the prefix and any environment: also catches partial or re-encoded echoes
            .ToList();
        var lines = world.Factory.Logs.Lines.ToList();
        Assert.True(lines.Count > 50, "expected trace logging to be on");
        Assert.DoesNotContain(lines, line => line.Contains("\nINFO forged", StringComparison.Ordinal));
        foreach (var secret in secrets)
        {
            var leaks = lines.Where(line => line.Contains(secret[..20], StringComparison.Ordinal)).ToList();
            Assert.True(leaks.Count == 0, "Secret found in logs:\n" + string.Join("\n", leaks.Take(5)));
        }
    }
}
