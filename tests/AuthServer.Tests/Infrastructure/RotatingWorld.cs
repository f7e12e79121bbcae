using System.Text.Json;
using AuthServer.Signing;
using Microsoft.Extensions.Time.Testing;

namespace AuthServer.Tests.Infrastructure;

/// <summary>
/// A standard world with <c>Signing:Rotation</c> on and no certificate in files, on a fake clock that the test moves
/// (<see cref="Create"/>):
/// announce 2 h, each key signs 6 h, checks every minute, tokens live 5 min, clock skew 5 min (so a retired key is
/// published 10 min more). <see cref="SecondInstance"/> is another server on the same database and the same clock.
/// </summary>
public sealed class RotatingWorld : TestWorld
{
    public static readonly TimeSpan Announce = TimeSpan.FromHours(2);
    public static readonly TimeSpan ActiveFor = TimeSpan.FromHours(6);
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(10);

    private RotatingWorld(FakeTimeProvider clock, Dictionary<string, string?> settings) : base(Create(clock, settings))
    {
        Clock = clock;
        Settings = settings;
    }

    public RotatingWorld(string algorithm = "RS256", IDictionary<string, string?>? more = null)
        : this(new FakeTimeProvider(DateTimeOffset.UtcNow), SettingsFor(algorithm, more))
    {
    }

    public FakeTimeProvider Clock { get; }

    public DateTime Now => Clock.GetUtcNow().UtcDateTime;

    private Dictionary<string, string?> Settings { get; }

    public static Dictionary<string, string?> SettingsFor(string algorithm, IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Signing:Algorithm"] = algorithm,
            ["Signing:CertificatesPath"] = Directory.CreateTempSubdirectory("authserver-nocerts-").FullName,
            ["Signing:Rotation:Enabled"] = "true",
            ["Signing:Rotation:AnnouncePeriod"] = "02:00:00",
            ["Signing:Rotation:ActivePeriod"] = "06:00:00",
            ["Signing:Rotation:CheckInterval"] = "00:01:00",
            ["Signing:Rotation:ClockSkew"] = "00:05:00",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Another instance: same settings, database and clock.</summary>
    public AuthServerFactory SecondInstance()
    {
        var settings = new Dictionary<string, string?>(Settings);
        foreach (var (key, value) in Factory.DatabaseSettings)
        {
            settings[key] = value;
        }

        return Create(Clock, settings);
    }

    /// <summary>Moves the clock, then lets each instance read the key set, as its next poll would.</summary>
    public async Task AdvanceAsync(TimeSpan by, params IServiceProvider[] others)
    {
        Clock.Advance(by);
        await RefreshAsync(Services);
        foreach (var other in others)
        {
            await RefreshAsync(other);
        }
    }

    public static Task RefreshAsync(IServiceProvider services) =>
        services.GetRequiredService<SigningKeyRotation>().RefreshAsync(CancellationToken.None);

    public static async Task<List<string>> PublishedKidsAsync(HttpClient http) =>
        [.. JsonDocument.Parse(await http.GetStringAsync("/.well-known/jwks")).RootElement
            .GetProperty("keys").EnumerateArray().Select(key => key.GetProperty("kid").GetString()!).Order(StringComparer.Ordinal)];

    public async Task<List<SigningKey>> StoredKeysAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthServer.Data.AuthDbContext>();
        return [.. db.SigningKeys.AsEnumerable().OrderBy(key => key.Generation)];
    }

    /// <summary>
    /// The fake clock drives the rotation and the tokens' <c>iat</c>/<c>exp</c> only: every other poller keeps real
    /// time, so that moving the clock by hours does not fire their timers thousands of times.
    /// </summary>
    private static AuthServerFactory Create(FakeTimeProvider clock, IDictionary<string, string?> settings) => new(settings)
    {
        TestServices = services =>
        {
            services.AddSingleton(provider => ActivatorUtilities.CreateInstance<SigningKeyRotation>(provider, (TimeProvider)clock));
            services.AddSingleton(provider => ActivatorUtilities.CreateInstance<AuthServer.Tokens.AccessTokenPlanner>(provider, (TimeProvider)clock));
        },
    };
}
