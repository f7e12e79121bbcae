using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using AuthServer.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthServer.Tests;

/// <summary>
/// <c>GET /events/revocations</c>: resource servers' credentials only; a <c>stream</c> event, the revocations of the
/// window, then each new revocation within a second (from whichever instance made it) as a signed Security Event
/// Token (RFC 8417, CAEP credential-change), heartbeats in between, and resumption that never skips one.
/// </summary>
public abstract class RevocationStreamTests<TWorld>(TWorld world) : IClassFixture<TWorld> where TWorld : TestWorld
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);


    private Task<RevocationStreamClient> OpenAsync(HttpClient? http = null, string? lastEventId = null) =>
        RevocationStreamClient.OpenAsync(http ?? world.Http, world.Invoices.ClientId, world.Invoices.ClientSecret, lastEventId);

    [Fact]
    public async Task A_stream_starts_with_its_settings_and_says_it_is_current_while_there_is_nothing_to_send()
    {
        await using var stream = await OpenAsync();

        var first = await stream.NextAsync(Bound);
        Assert.Equal("stream", first.EventType);
        using var settings = JsonDocument.Parse(first.Data);
        Assert.Equal(360, settings.RootElement.GetProperty("retention_seconds").GetInt64()); // 5 min tokens + 1 min of clock skew
        Assert.Equal(0.5, settings.RootElement.GetProperty("heartbeat_seconds").GetDouble());
        Assert.Equal("heartbeat", (await stream.NextOfTypeAsync("heartbeat", Bound)).EventType);
        Assert.Equal("heartbeat", (await stream.NextOfTypeAsync("heartbeat", Bound)).EventType);
    }

    [Fact]
    public async Task A_revocation_arrives_within_two_seconds_as_a_security_event_token_signed_with_the_published_keys()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        await using var stream = await OpenAsync();
        await stream.NextOfTypeAsync("heartbeat", Bound);

        var revokedAt = Stopwatch.StartNew();
        await world.RevokeKeyAsync(key.Key.KeyId);
        var set = await NextSetForAsync(stream, key.Key.KeyId, Bound);
        Assert.True(revokedAt.Elapsed < Bound, $"arrived after {revokedAt.Elapsed}");

        var token = await ValidateAsync(set);
        Assert.Equal("secevent+jwt", token.Typ);
        Assert.Equal("https://localhost/", token.Issuer);
        var change = token.GetPayloadValue<JsonElement>("events").GetProperty("https://schemas.openid.net/secevent/caep/event-type/credential-change");
        Assert.Equal("revoke", change.GetProperty("change_type").GetString());
        Assert.Equal("api_key", change.GetProperty("credential_type").GetString());
        Assert.Equal("opaque", token.GetPayloadValue<JsonElement>("sub_id").GetProperty("format").GetString());
        Assert.DoesNotContain("authsk_", Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(set.Split('.')[1]))); // never a secret
    }

    [Fact]
    public async Task Heartbeats_keep_coming_while_other_events_are_written()
    {
        await using var stream = await OpenAsync();
        await stream.NextOfTypeAsync("heartbeat", Bound);
        using var writing = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            while (!writing.IsCancellationRequested)
            {
                await world.CreateKeyAsync(["invoices:read"]); // key.created: moves the stream's resume point, sends no SET
                await Task.Delay(100);
            }
        });

        try
        {
            var clock = Stopwatch.StartNew();
            await stream.NextOfTypeAsync("heartbeat", Bound);
            await stream.NextOfTypeAsync("heartbeat", Bound);
            await stream.NextOfTypeAsync("heartbeat", Bound);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"three heartbeats took {clock.Elapsed}");
        }
        finally
        {
            await writing.CancelAsync();
            await writer;
        }
    }

    [Fact]
    public async Task A_follower_that_connects_gets_the_recent_revocations_and_one_that_resumes_gets_only_what_it_missed()
    {
        var before = await world.CreateKeyAsync(["invoices:read"]);
        await world.RevokeKeyAsync(before.Key.KeyId);
        await Task.Delay(TimeSpan.FromSeconds(1)); // read by the instance's feed
        string resumeFrom;
        await using (var first = await OpenAsync())
        {
            await NextSetForAsync(first, before.Key.KeyId, Bound);
            await first.NextOfTypeAsync("heartbeat", Bound);
            resumeFrom = first.LastEventId!;
        }

        var during = await world.CreateKeyAsync(["invoices:read"]);
        await world.RevokeKeyAsync(during.Key.KeyId);
        await using var resumed = await OpenAsync(lastEventId: resumeFrom);

        var subjects = new List<string>();
        await resumed.NextAsync(Bound); // stream
        for (var item = await resumed.NextAsync(Bound); item.EventType != "heartbeat" || subjects.Count == 0; item = await resumed.NextAsync(Bound))
        {
            if (item.EventType == "set")
            {
                subjects.Add(SubjectOf(item.Data));
            }
        }

        Assert.Contains(during.Key.KeyId, subjects);
        Assert.DoesNotContain(before.Key.KeyId, subjects);
    }

    [Fact]
    public async Task A_revocation_made_at_another_instance_reaches_this_instances_followers_within_two_seconds()
    {
        await using var other = new AuthServerFactory(world.Factory.DatabaseSettings);
        var key = await world.CreateKeyAsync(["invoices:read"]);
        await using var stream = await OpenAsync();
        await stream.NextOfTypeAsync("heartbeat", Bound);

        var revokedAt = Stopwatch.StartNew();
        await new Provisioning(other.Services).RevokeKeyAsync(key.Key.KeyId);
        await NextSetForAsync(stream, key.Key.KeyId, Bound);

        Assert.True(revokedAt.Elapsed < Bound, $"arrived after {revokedAt.Elapsed}");
    }

    [Fact]
    public async Task Without_a_resource_servers_credentials_no_stream_starts()
    {
        var apiKey = await world.CreateKeyAsync(["invoices:read"]);
        using var none = await world.Http.SendAsync(RevocationStreamClient.Request(null, null));
        using var wrong = await world.Http.SendAsync(RevocationStreamClient.Request(world.Invoices.ClientId, world.Invoices.ClientSecret[..^2] + "xx"));
        using var key = await world.Http.SendAsync(RevocationStreamClient.Request(apiKey.Key.KeyId, apiKey.Secret));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Basic", none.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("invalid_client", (await none.ReadJsonAsync()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("invalid_client", (await wrong.ReadJsonAsync()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, key.StatusCode);
        Assert.Equal("unauthorized_client", (await key.ReadJsonAsync()).GetProperty("error").GetString());
        Assert.DoesNotContain(apiKey.Secret, await key.Content.ReadAsStringAsync());
    }

    private static async Task<string> NextSetForAsync(RevocationStreamClient stream, string keyId, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var set = await stream.NextOfTypeAsync("set", deadline - DateTime.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
            if (SubjectOf(set.Data) == keyId)
            {
                return set.Data;
            }
        }
    }

    private static string SubjectOf(string set) =>
        new JsonWebToken(set).GetPayloadValue<JsonElement>("sub_id").GetProperty("id").GetString()!;

    private async Task<JsonWebToken> ValidateAsync(string set)
    {
        var keys = new JsonWebKeySet(await world.Http.GetStringAsync("/.well-known/jwks"));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(set, new TokenValidationParameters
        {
            ValidIssuer = "https://localhost/",
            ValidTypes = ["secevent+jwt"],
            IssuerSigningKeys = keys.GetSigningKeys(),
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        return (JsonWebToken)result.SecurityToken;
    }
}

/// <summary>Heartbeats every 0.5 s, so that a test sees several.</summary>
public static class RevocationStreamSettings
{
    public static Dictionary<string, string?> With(Dictionary<string, string?>? database = null) =>
        new(database ?? []) { ["Events:HeartbeatInterval"] = "00:00:00.5" };
}

public sealed class RevocationStreamSqliteWorld() : TestWorld(RevocationStreamSettings.With());

public sealed class RevocationStreamPostgresWorld() : TestWorld(RevocationStreamSettings.With(PostgresWorld.PostgresSettings(PostgresCluster.Shared)));

public sealed class RevocationStreamTestsOnSqlite(RevocationStreamSqliteWorld world) : RevocationStreamTests<RevocationStreamSqliteWorld>(world);

public sealed class RevocationStreamTestsOnPostgreSql(RevocationStreamPostgresWorld world) : RevocationStreamTests<RevocationStreamPostgresWorld>(world);
