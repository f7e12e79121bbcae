using System.IdentityModel.Tokens.Jwt;
using System.Security.Cryptography;
using AuthServer.Data;
using AuthServer.Signing;
using AuthServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Tests;

/// <summary>Signing keys that rotate themselves (README "Signing keys"), on a fake clock the tests move.</summary>
public sealed class SigningRotationTests : IAsyncLifetime
{
    private readonly List<RotatingWorld> _worlds = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var world in _worlds)
        {
            await world.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("ES256")]
    public async Task A_key_is_announced_then_signs_then_retires_and_is_removed_after_its_last_token(string algorithm)
    {
        var world = await StartAsync(new RotatingWorld(algorithm));
        var key = await world.CreateKeyAsync(["invoices:read"]);

        // Start: the first key signs at once (there was none before it).
        var first = Assert.Single(await world.StoredKeysAsync());
        Assert.Equal(algorithm, first.Algorithm);
        Assert.Equal([first.Id], await RotatingWorld.PublishedKidsAsync(world.Http));
        var token = await world.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
        Assert.Equal(first.Id, new JwtSecurityToken(token).Header.Kid);
        Assert.Equal(algorithm, new JwtSecurityToken(token).Header.Alg);

        // Not due yet: the next key is made one announce period before the first one's active period ends.
        await world.AdvanceAsync(RotatingWorld.ActiveFor - RotatingWorld.Announce - TimeSpan.FromMinutes(1));
        Assert.Single(await world.StoredKeysAsync());

        // Announced: published, not signing.
        await world.AdvanceAsync(TimeSpan.FromMinutes(2));
        var second = (await world.StoredKeysAsync())[1];
        Assert.Equal(2, second.Generation);
        Assert.Equal(world.Now + RotatingWorld.Announce, second.ActivatesAt, TimeSpan.FromMilliseconds(1));
        Assert.Equal(new[] { first.Id, second.Id }.Order(StringComparer.Ordinal), await RotatingWorld.PublishedKidsAsync(world.Http));
        Assert.Equal(first.Id, await KidOfNewTokenAsync(world, key));

        // Active: the new key signs; the old one is still published for the tokens it signed.
        await world.AdvanceAsync(RotatingWorld.Announce);
        Assert.Equal(second.Id, await KidOfNewTokenAsync(world, key));
        Assert.Equal(new[] { first.Id, second.Id }.Order(StringComparer.Ordinal), await RotatingWorld.PublishedKidsAsync(world.Http));

        // Removed once the longest token lifetime plus clock skew has passed since it stopped signing.
        await world.AdvanceAsync(RotatingWorld.Retention - TimeSpan.FromMinutes(2));
        Assert.Equal(2, (await world.StoredKeysAsync()).Count);
        await world.AdvanceAsync(TimeSpan.FromMinutes(2));
        Assert.Equal([second.Id], await RotatingWorld.PublishedKidsAsync(world.Http));
        Assert.Equal([second.Id], (await world.StoredKeysAsync()).Select(k => k.Id));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task Two_instances_on_one_database_serve_the_same_jwks_and_only_one_makes_each_key(string provider)
    {
        var world = await StartAsync(new RotatingWorld(more: DatabaseOf(provider)));
        await using var b = world.SecondInstance();
        using var httpB = b.CreateHttpsClient();
        var key = await world.CreateKeyAsync(["invoices:read"]);
        Assert.Equal(await RotatingWorld.PublishedKidsAsync(world.Http), await RotatingWorld.PublishedKidsAsync(httpB));

        // Both instances find the next key due at the same moment and race to make it.
        for (var rotation = 0; rotation < 3; rotation++)
        {
            world.Clock.Advance(RotatingWorld.ActiveFor - RotatingWorld.Announce + TimeSpan.FromMinutes(1));
            await Task.WhenAll(RotatingWorld.RefreshAsync(world.Services), RotatingWorld.RefreshAsync(b.Services));
            Assert.Equal(await RotatingWorld.PublishedKidsAsync(world.Http), await RotatingWorld.PublishedKidsAsync(httpB));
            await world.AdvanceAsync(RotatingWorld.Announce, b.Services);

            var fromA = await world.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
            var fromB = await httpB.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
            Assert.Equal(new JwtSecurityToken(fromA).Header.Kid, new JwtSecurityToken(fromB).Header.Kid);
            Assert.True(await new CachingResourceServer(httpB, world.Clock, TimeSpan.FromHours(1), TestWorld.InvoicesApi).AcceptsAsync(fromA));
            Assert.True(await new CachingResourceServer(world.Http, world.Clock, TimeSpan.FromHours(1), TestWorld.InvoicesApi).AcceptsAsync(fromB));
        }

        var stored = await world.StoredKeysAsync();
        Assert.Equal(stored.Select(k => k.Generation).Distinct().Count(), stored.Count);
        var made = world.Factory.Logs.Lines.Concat(b.Logs.Lines).Count(line => line.Contains("Generated RS256 signing key", StringComparison.Ordinal));
        Assert.Equal(4, made); // the first key and three rotations, each by one instance
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task The_database_refuses_a_second_key_for_a_generation(string provider)
    {
        var world = await StartAsync(new RotatingWorld(more: DatabaseOf(provider)));
        var material = world.Services.GetRequiredService<SigningKeyMaterial>();
        await using var scope = world.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        db.SigningKeys.Add(material.Generate("RS256", 1, world.Now, world.Now));

        var refused = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.True(UniqueViolation.Is(refused));
    }

    [Fact]
    public async Task A_resource_server_that_refreshes_its_jwks_hourly_never_refuses_a_valid_token_during_rotations()
    {
        var world = await StartAsync(new RotatingWorld());
        var key = await world.CreateKeyAsync(["invoices:read"]);
        var api = new CachingResourceServer(world.Http, world.Clock, TimeSpan.FromHours(1), TestWorld.InvoicesApi);
        var kids = new HashSet<string>();
        string? previous = null;

        // Two rotations, a token every 4 minutes; the previous one (4 minutes old, lifetime 5) must still be accepted.
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(14); elapsed += TimeSpan.FromMinutes(4))
        {
            var token = await world.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
            kids.Add(new JwtSecurityToken(token).Header.Kid);
            Assert.True(await api.AcceptsAsync(token), $"a new token refused after {elapsed}");
            Assert.True(previous is null || await api.AcceptsAsync(previous), $"a 4-minute-old token refused after {elapsed}");
            previous = token;
            await world.AdvanceAsync(TimeSpan.FromMinutes(4));
        }

        Assert.Equal(3, kids.Count);
        Assert.InRange(api.Fetches, 14, 15);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    public async Task Introspection_accepts_tokens_of_the_new_key_and_of_the_retired_one_until_they_expire(string fastPaths)
    {
        var world = await StartAsync(new RotatingWorld(more: new Dictionary<string, string?> { ["Tokens:FastPaths"] = fastPaths }));
        var key = await world.CreateKeyAsync(["invoices:read"]);
        await world.AdvanceAsync(RotatingWorld.ActiveFor - RotatingWorld.Announce + TimeSpan.FromMinutes(1));
        await world.AdvanceAsync(RotatingWorld.Announce - TimeSpan.FromMinutes(2));
        var old = await world.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);

        await world.AdvanceAsync(TimeSpan.FromMinutes(2)); // the new key signs now
        var current = await world.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);

        Assert.NotEqual(new JwtSecurityToken(old).Header.Kid, new JwtSecurityToken(current).Header.Kid);
        foreach (var token in new[] { old, current })
        {
            var answer = await world.Http.IntrospectAsync(world.Invoices.ClientId, world.Invoices.ClientSecret, token);
            Assert.True(answer.GetProperty("active").GetBoolean());
        }
    }

    [Fact]
    public async Task The_admin_api_accepts_tokens_of_the_first_key_of_the_new_one_and_of_the_retired_one()
    {
        var world = await StartAsync(new RotatingWorld());
        var key = await world.CreateKeyAsync([AuthServer.Admin.AdminScopes.ReadKeys]);
        var first = await world.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
        Assert.Equal(System.Net.HttpStatusCode.OK, await AdminStatusAsync(world, first)); // refused before: only registration's keys were known

        await world.AdvanceAsync(RotatingWorld.ActiveFor - RotatingWorld.Announce + TimeSpan.FromMinutes(1));
        await world.AdvanceAsync(RotatingWorld.Announce - TimeSpan.FromMinutes(2));
        var old = await world.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
        await world.AdvanceAsync(TimeSpan.FromMinutes(2)); // the second key signs now; the first one is retired
        var second = await world.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);

        Assert.Equal(new JwtSecurityToken(first).Header.Kid, new JwtSecurityToken(old).Header.Kid);
        Assert.NotEqual(new JwtSecurityToken(old).Header.Kid, new JwtSecurityToken(second).Header.Kid);
        Assert.Equal(System.Net.HttpStatusCode.OK, await AdminStatusAsync(world, second));
        Assert.Equal(System.Net.HttpStatusCode.OK, await AdminStatusAsync(world, old));
    }

    private static async Task<System.Net.HttpStatusCode> AdminStatusAsync(RotatingWorld world, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/admin/v1/accounts/{world.Acme.Id}/keys");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await world.Http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_certificate_from_files_signs_until_the_first_rotated_key_has_been_announced()
    {
        var world = await StartAsync(new RotatingWorld(more: new Dictionary<string, string?> { ["Signing:CertificatesPath"] = TestCertificates.Folder }));
        var key = await world.CreateKeyAsync(["invoices:read"]);
        var certificate = world.Services.GetRequiredService<SigningKeySet>().Active!;
        var rotated = Assert.Single(await world.StoredKeysAsync());

        Assert.Equal(certificate.Thumbprint, await KidOfNewTokenAsync(world, key));
        Assert.Contains(rotated.Id, await RotatingWorld.PublishedKidsAsync(world.Http));

        await world.AdvanceAsync(RotatingWorld.Announce);
        Assert.Equal(rotated.Id, await KidOfNewTokenAsync(world, key));
        Assert.Contains(certificate.Thumbprint, await RotatingWorld.PublishedKidsAsync(world.Http));
    }

    [Fact]
    public async Task An_announced_key_signs_on_time_while_the_database_cannot_be_read()
    {
        var world = await StartAsync(new RotatingWorld());
        var key = await world.CreateKeyAsync(["invoices:read"]);
        await world.AdvanceAsync(RotatingWorld.ActiveFor - RotatingWorld.Announce + TimeSpan.FromMinutes(1));
        var next = (await world.StoredKeysAsync())[1];

        // The clock's move wakes the rotation's own poll, whose read of the key set fails; no later poll succeeds.
        world.Factory.Faults.FailNext(sql => sql.Contains("SigningKeys", StringComparison.Ordinal));
        world.Clock.Advance(RotatingWorld.Announce);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((world.Factory.Faults.Pending || await KidOfNewTokenAsync(world, key) != next.Id) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.False(world.Factory.Faults.Pending);
        Assert.Equal(next.Id, await KidOfNewTokenAsync(world, key));
        Assert.Contains(world.Factory.Logs.Lines, line => line.Contains("Could not read the signing keys", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, null, 300)]
    [InlineData("00:06:00", "00:01:00", 150)]
    public async Task The_jwks_may_be_cached_no_longer_than_the_announce_period_allows(string? announce, string? check, int maxAge)
    {
        var settings = new Dictionary<string, string?>();
        if (announce is not null)
        {
            settings["Signing:Rotation:AnnouncePeriod"] = announce;
            settings["Signing:Rotation:ActivePeriod"] = "01:00:00";
            settings["Signing:Rotation:CheckInterval"] = check;
        }

        var world = await StartAsync(new RotatingWorld(more: settings));
        using var response = await world.Http.GetAsync("/.well-known/jwks");

        Assert.Equal(TimeSpan.FromSeconds(maxAge), response.Headers.CacheControl?.MaxAge);
        Assert.True(response.Headers.CacheControl?.Public);
    }

    [Fact]
    public async Task Private_keys_are_stored_encrypted()
    {
        var world = await StartAsync(new RotatingWorld());
        var stored = Assert.Single(await world.StoredKeysAsync());
        using var rsa = RSA.Create();

        Assert.ThrowsAny<CryptographicException>(() => rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(stored.ProtectedPrivateKey), out _));
        Assert.NotNull(world.Services.GetRequiredService<SigningKeyMaterial>().TryOpen(stored));
    }

    [Theory]
    [InlineData("AnnouncePeriod", "00:01:00", "Signing:Rotation:AnnouncePeriod must be at least 00:02:00")]
    [InlineData("ActivePeriod", "01:00:00", "Signing:Rotation:ActivePeriod must be longer than Signing:Rotation:AnnouncePeriod")]
    [InlineData("CheckInterval", "00:00:00", "Signing:Rotation:CheckInterval must be between 00:00:01 and 01:00:00.")]
    [InlineData("ClockSkew", "-00:00:01", "Signing:Rotation:ClockSkew must be between 00:00:00 and 01:00:00.")]
    public void Invalid_rotation_periods_are_refused_with_one_line_naming_them(string setting, string value, string message)
    {
        var options = new SigningOptions { Rotation = { Enabled = true } };
        typeof(SigningRotationOptions).GetProperty(setting)!.SetValue(options.Rotation, TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture));

        var result = new ValidateSigningOptions().Validate(null, options);

        Assert.StartsWith(message, Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> DatabaseOf(string provider) =>
        provider == "PostgreSql" ? PostgresWorld.PostgresSettings(PostgresCluster.Shared) : [];

    private static async Task<string> KidOfNewTokenAsync(TestWorld world, TestKey key) =>
        new JwtSecurityToken(await world.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret)).Header.Kid;

    private async Task<RotatingWorld> StartAsync(RotatingWorld world)
    {
        _worlds.Add(world);
        await world.InitializeAsync();
        return world;
    }
}
