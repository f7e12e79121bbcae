using AuthServer.Recipes;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests.Recipes;

/// <summary>
/// The README's "Calling AuthServer from your service" recipes, the very files in docs/recipes, each calling an API
/// twice against a real AuthServer: both calls carry the same token (each token has its own jti, so one token
/// request), and the server would have refused a second token request for the key anyway.
/// </summary>
public sealed class ServiceRecipeTests(RecipeWorld world) : IClassFixture<RecipeWorld>
{
    private static readonly string Recipes = RepositoryFiles.PathOf("docs", "recipes");

    [Fact]
    public async Task The_csharp_handler_reuses_one_token_for_two_calls()
    {
        var key = await world.CreateKeyAsync();
        using var api = new RecordingApi();
        using var authServer = new HttpClient { BaseAddress = world.Issuer };
        using var tokens = new AuthServerTokenCache(authServer, key.Key.KeyId, key.Secret, RecipeWorld.Scope);
        using var client = new HttpClient(new AuthServerTokenHandler(tokens) { InnerHandler = new HttpClientHandler() });

        using var first = await client.GetAsync(api.Url);
        using var second = await client.GetAsync(api.Url);

        Assert.True(first.IsSuccessStatusCode && second.IsSuccessStatusCode, $"{first.StatusCode}, {second.StatusCode}");
        AssertOneTokenForTwoCalls(api);
        await AssertNoSecondTokenForTheKeyAsync(key);
    }

    [Fact]
    public async Task The_python_recipe_reuses_one_token_for_two_calls()
    {
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var (hasAuthlib, _, _) = await ExternalTool.RunAsync(python, ["-c", "import authlib, requests"]);
        Assert.True(hasAuthlib == 0, $"{python} lacks Authlib or requests: apt-get install python3-authlib python3-requests (.ci/run does).");
        var key = await world.CreateKeyAsync();
        using var api = new RecordingApi();
        var environment = world.Environment(key, api);
        environment["AUTHLIB_INSECURE_TRANSPORT"] = "1"; // plain HTTP to the Development server on loopback

        var (code, output, error) = await ExternalTool.RunAsync(python, [Path.Combine(Recipes, "client.py")], Recipes, environment);

        Assert.True(code == 0, $"client.py exited with {code}: {output} {error}");
        Assert.Equal("call 1: 200\ncall 2: 200\n", output);
        AssertOneTokenForTwoCalls(api);
        await AssertNoSecondTokenForTheKeyAsync(key);
    }

    [Fact]
    public async Task The_node_recipe_reuses_one_token_for_two_calls()
    {
        ExternalTool.Require(Path.Combine(Recipes, "node_modules", "openid-client", "package.json"),
            "run `npm ci --prefix docs/recipes` (Node.js 20 or later; .ci/run does it).");
        var key = await world.CreateKeyAsync();
        using var api = new RecordingApi();

        var (code, output, error) = await ExternalTool.RunAsync("node", [Path.Combine(Recipes, "client.mjs")], Recipes, world.Environment(key, api));

        Assert.True(code == 0, $"client.mjs exited with {code}: {output} {error}");
        Assert.Equal("call 1: 200\ncall 2: 200\n", output);
        AssertOneTokenForTwoCalls(api);
        await AssertNoSecondTokenForTheKeyAsync(key);
    }

    private static void AssertOneTokenForTwoCalls(RecordingApi api)
    {
        Assert.Equal(2, api.Tokens.Count);
        Assert.Equal(3, api.Tokens[0].Split('.').Length); // a JWT
        Assert.Equal(api.Tokens[0], api.Tokens[1]);
    }

    /// <summary>The key's one token request in the window was the recipe's: another is refused (so there was no other).</summary>
    private async Task AssertNoSecondTokenForTheKeyAsync(TestKey key)
    {
        using var authServer = new HttpClient { BaseAddress = world.Issuer };
        using var again = await authServer.RequestTokenAsync(key.Key.KeyId, key.Secret, RecipeWorld.Scope);
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, again.StatusCode);
    }
}
