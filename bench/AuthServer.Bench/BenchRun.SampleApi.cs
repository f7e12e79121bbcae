using System.Globalization;
using AuthServer.Signing;

namespace AuthServer.Bench;

internal sealed partial class BenchRun
{
    /// <summary>
    /// The SampleApi (Local mode, AcceptApiKeys on, its default 1 s key cache) in front of an AuthServer, both in
    /// their own processes: GET /whoami with each key's JWT, then with each key's secret in x-api-key, in one run.
    /// The introspections the API sent while the keys were measured are counted from its log.
    /// </summary>
    private async Task RunSampleApiAsync(ProvisionedDatabase database)
    {
        _log.WriteLine("SampleApi: JWT and x-api-key ...");
        await using var authServer = await StartAuthServerAsync("sampleapi-authserver", database, SigningAlgorithms.RS256);
        await using var api = ServedProcess.Start(SampleApiDll, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["AuthServer__Issuer"] = authServer.BaseAddress.AbsoluteUri,
            ["AuthServer__Audience"] = Provisioner.Resource,
            ["AuthServer__ClientId"] = database.Introspection.ClientId,
            ["AuthServer__ClientSecret"] = database.Introspection.Secret,
            ["AuthServer__AcceptApiKeys"] = "true",
        }, Path.Combine(_work, "sampleapi.log"));
        await api.WaitUntilReadyAsync("/health", TimeSpan.FromSeconds(60));

        var tokens = await FetchTokensAsync(authServer.BaseAddress, database.Keys, database.Keys.Count);
        var bearer = Path.Combine(_work, "sampleapi-jwt.auth");
        await File.WriteAllLinesAsync(bearer, tokens.Select(token => "Bearer " + token));
        var secrets = Path.Combine(_work, "sampleapi-keys.auth");
        await File.WriteAllLinesAsync(secrets, database.Keys.Select(key => key.Secret));
        const string Expect = "\"keyId\"%s*:%s*\"ak_";

        _scenarios.Add(await MeasureAsync("sampleapi-jwt", $"SampleApi GET /whoami, JWT (local check), {tokens.Count} keys", api, "/whoami", bearer, null,
            database: false, expect: Expect));
        var asked = api.IntrospectionsSent;
        var measured = await MeasureAsync("sampleapi-key", $"SampleApi GET /whoami, x-api-key (introspected, 1 s cache), {database.Keys.Count} keys", api, "/whoami", secrets, null,
            database: false, expect: Expect, header: "x-api-key");
        asked = api.IntrospectionsSent - asked;
        var seconds = (measured.Warmup?.Seconds ?? 0) + options.Duration.TotalSeconds;
        _log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  the SampleApi asked the AuthServer {asked} times in {seconds:0} s of warm-up and measurement, for {database.Keys.Count} keys"));
        _scenarios.Add(measured with { Title = measured.Title + string.Create(CultureInfo.InvariantCulture, $"; {asked} introspections in {seconds:0} s") });
    }
}
