using System.Net;
using AuthServer.ApiKeys;
using AuthServer.Secrets;
using AuthServer.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AuthServer.Tests;

/// <summary>
/// Test and live keys at the OAuth endpoints, with the fast paths on and off: the secret's prefix, the token's
/// <c>environment</c> claim, the introspection answer, secrets of the shape made before environments existed, and
/// live-only scopes at the token endpoint.
/// </summary>
public abstract class KeyEnvironmentTests<TWorld>(TWorld world) : IClassFixture<TWorld> where TWorld : TestWorld
{
    private HttpClient Http => world.Http;

    [Theory]
    [InlineData(null, "live")]
    [InlineData(KeyEnvironment.Live, "live")]
    [InlineData(KeyEnvironment.Test, "test")]
    public async Task The_secret_the_token_and_the_introspection_answer_name_the_key_s_environment(KeyEnvironment? environment, string name)
    {
        var key = await world.CreateKeyAsync(["invoices:read"], environment: environment);

        Assert.StartsWith($"authsk_{name}_", key.Secret, StringComparison.Ordinal);
        Assert.Equal(ClientSecret.LengthWithEnvironment, key.Secret.Length);
        Assert.Equal($"authsk_{name}_..." + key.Secret[^4..], key.Key.SecretHint);
        var token = await Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
        Assert.Equal(name, new JsonWebToken(token).GetPayloadValue<string>("environment"));
        var answer = await Http.IntrospectAsync(world.Invoices.ClientId, world.Invoices.ClientSecret, token);
        Assert.True(answer.GetProperty("active").GetBoolean());
        Assert.Equal(name, answer.GetProperty("environment").GetString());
    }

    [Fact]
    public async Task A_secret_of_the_shape_made_before_environments_still_works_and_its_key_is_live()
    {
        var key = await world.WithSecretOfTheOldShapeAsync(await world.CreateKeyAsync(["invoices:read"]));
        Assert.Equal(ClientSecret.Length, key.Secret.Length);
        Assert.DoesNotContain("_live_", key.Secret, StringComparison.Ordinal);

        var token = await Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);

        Assert.Equal("live", new JsonWebToken(token).GetPayloadValue<string>("environment"));
        Assert.Equal("live", (await Http.IntrospectAsync(world.Invoices.ClientId, world.Invoices.ClientSecret, token)).GetProperty("environment").GetString());
    }

    [Theory]
    [InlineData(KeyEnvironment.Test, "authsk_test_", "authsk_live_")]
    [InlineData(KeyEnvironment.Live, "authsk_live_", "authsk_test_")]
    [InlineData(KeyEnvironment.Live, "authsk_live_", "authsk_")]
    public async Task The_checksum_covers_the_environment_so_a_secret_with_it_changed_or_removed_is_refused(KeyEnvironment environment, string from, string to)
    {
        var key = await world.CreateKeyAsync(["invoices:read"], environment: environment);
        var changed = to + key.Secret[from.Length..];

        using var response = await Http.RequestTokenAsync(key.Key.KeyId, changed);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await response.ReadJsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_test_key_holding_a_scope_an_operator_then_marks_live_only_is_refused_it_and_keeps_its_other_scopes()
    {
        var scope = $"env-{Guid.NewGuid():N}"[..20];
        await world.CreateScopeAsync(scope, TestWorld.InvoicesApi);
        var test = await world.CreateKeyAsync([scope, "invoices:read"], environment: KeyEnvironment.Test);
        var live = await world.CreateKeyAsync([scope, "invoices:read"], environment: KeyEnvironment.Live);
        Assert.Equal(HttpStatusCode.OK, (await Http.RequestTokenAsync(test.Key.KeyId, test.Secret, scope)).StatusCode);

        await world.Provision.SetLiveOnlyAsync(scope, liveOnly: true);

        var refused = await WithinTheChangeFeedBoundAsync(() => Http.RequestTokenAsync(test.Key.KeyId, test.Secret, scope), HttpStatusCode.BadRequest);
        var error = await refused.ReadJsonAsync();
        Assert.Equal("invalid_scope", error.GetProperty("error").GetString());
        Assert.Equal($"The scope '{scope}' is for live keys only, and this is a test key. Use a live key, or a scope open to test keys.",
            error.GetProperty("error_description").GetString());
        using (var all = await Http.RequestTokenAsync(test.Key.KeyId, test.Secret)) // no scope: all of the key's, this one among them
        {
            Assert.Equal(HttpStatusCode.BadRequest, all.StatusCode);
            Assert.Equal("invalid_scope", (await all.ReadJsonAsync()).GetProperty("error").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, (await Http.RequestTokenAsync(test.Key.KeyId, test.Secret, "invoices:read")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.RequestTokenAsync(live.Key.KeyId, live.Secret, scope)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.RequestTokenAsync(live.Key.KeyId, live.Secret)).StatusCode);

        await world.Provision.SetLiveOnlyAsync(scope, liveOnly: false);

        using var reopened = await WithinTheChangeFeedBoundAsync(() => Http.RequestTokenAsync(test.Key.KeyId, test.Secret, scope), HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_test_key_cannot_be_created_with_a_live_only_scope_but_a_live_key_can()
    {
        var scope = $"env-{Guid.NewGuid():N}"[..20];
        await world.Provision.CreateLiveOnlyScopeAsync(scope, TestWorld.InvoicesApi);

        var refused = await Assert.ThrowsAsync<Failures.InvalidFieldException>(() => world.CreateKeyAsync([scope], environment: KeyEnvironment.Test));
        Assert.Equal("scopes", refused.Field);
        Assert.Contains("for live keys only", refused.Message, StringComparison.Ordinal);
        var live = await world.CreateKeyAsync([scope]);
        Assert.Equal(HttpStatusCode.OK, (await Http.RequestTokenAsync(live.Key.KeyId, live.Secret, scope)).StatusCode);
    }

    /// <summary>Sends until the answer has <paramref name="status"/>, for at most 5 s (the feed's bound is 1 s; the machine may be loaded).</summary>
    private static async Task<HttpResponseMessage> WithinTheChangeFeedBoundAsync(Func<Task<HttpResponseMessage>> send, HttpStatusCode status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var response = await send();
            if (response.StatusCode == status || DateTime.UtcNow > deadline)
            {
                Assert.Equal(status, response.StatusCode);
                return response;
            }

            response.Dispose();
            await Task.Delay(100);
        }
    }
}

public sealed class KeyEnvironmentTestsWithFastPaths(TestWorld world) : KeyEnvironmentTests<TestWorld>(world);

public sealed class KeyEnvironmentTestsThroughOpenIddict(OpenIddictPipelineWorld world) : KeyEnvironmentTests<OpenIddictPipelineWorld>(world);

public sealed class KeyEnvironmentTestsOnPostgreSql(PostgresWorld world) : KeyEnvironmentTests<PostgresWorld>(world);
