using System.Diagnostics;
using System.Runtime;
using System.Text;
using AuthServer.ApiKeys;
using AuthServer.Secrets;
using AuthServer.Tokens;
using AuthServer.Tokens.Answers;
using AuthServer.Tokens.FastPath;
using AuthServer.Tokens.Requests;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AuthServer.Health;

/// <summary>
/// Runs the code of the token and introspection fast paths before the instance reports ready, so that a new
/// instance added to a pool under load is not served by unoptimized code for its first seconds (issue #15: the JIT
/// took about 10 s under load to settle). Everything happens in memory, for a key that exists nowhere: tokens are
/// signed with the active key for the issuer <see cref="Issuer"/> and thrown away, nothing is recorded (no usage,
/// no audit, no metric of issued tokens) and nothing is logged but one line with the figures. Then the same number
/// of <c>GET /health/live</c> over loopback warm Kestrel and the middleware. Rounds go on until the JIT compiles
/// almost nothing new in a round (its background tier-1 compilations included), or until <see cref="WarmupOptions.MaxDuration"/>.
/// </summary>
public sealed partial class HotPathWarmup(
    IHostApplicationLifetime lifetime,
    IServer server,
    AccessTokenWriter writer,
    IntrospectionValidator introspection,
    WarmupState state,
    IOptions<WarmupOptions> options,
    TimeProvider time,
    ILogger<HotPathWarmup> logger) : BackgroundService
{
    /// <summary>No token with this issuer is accepted anywhere: it is not this server's address.</summary>
    private const string Issuer = "https://warmup.invalid/";

    /// <summary>A round in which the JIT compiled fewer methods than this counts as quiet; two quiet rounds end the warm-up.</summary>
    private const int QuietCompilations = 10;

    private static readonly byte[] TokenForm = Encoding.ASCII.GetBytes("grant_type=client_credentials&scope=warmup%3Aread");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            state.Finish();
            return;
        }

        // Kestrel listens, the signing keys and the directory are loaded.
        await WhenStartedAsync(stoppingToken);
        var clock = Stopwatch.StartNew();
        var rounds = 0;
        var quiet = 0;
        using var http = LoopbackClient();
        try
        {
            var compiled = JitInfo.GetCompiledMethodCount();
            while (!stoppingToken.IsCancellationRequested && quiet < 2 && (rounds == 0 || clock.Elapsed < settings.MaxDuration))
            {
                for (var i = 0; i < settings.IterationsPerRound; i++)
                {
                    await PassAsync(stoppingToken);
                }

                await LoopbackAsync(http, settings.IterationsPerRound, stoppingToken);
                rounds++;
                // The background compiler's tier-1 work for this round lands in the next count.
                await Task.Delay(TimeSpan.FromMilliseconds(50), stoppingToken);
                var now = JitInfo.GetCompiledMethodCount();
                quiet = now - compiled < QuietCompilations ? quiet + 1 : 0;
                compiled = now;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        finally
        {
            state.Finish();
        }

        LogDone(logger, rounds, settings.IterationsPerRound, clock.ElapsedMilliseconds, quiet >= 2);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up done: {Rounds} rounds of {Iterations} in {Elapsed} ms, JIT quiet: {Quiet}.")]
    private static partial void LogDone(ILogger logger, int rounds, int iterations, long elapsed, bool quiet);

    private async Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        await started.Task;
    }

    /// <summary>What a token request and an introspection of its token run, minus the directory and the records.</summary>
    private async Task PassAsync(CancellationToken cancellationToken)
    {
        var secret = ClientSecret.Generate();
        var hash = ClientSecret.Hash(secret);
        _ = ClientSecret.IsWellFormed(secret) && KeySecretRule.Match(secret, hash, null, null, time.GetUtcNow().UtcDateTime) != SecretMatch.None;

        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        context.Request.ContentType = "application/x-www-form-urlencoded";
        context.Request.Body = new MemoryStream(TokenForm, writable: false);
        context.Request.Headers.Authorization = "Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes("ak_warmup:" + secret));
        context.Response.Body = Stream.Null;
        var form = await context.Request.ReadFormAsync(cancellationToken);
        _ = OAuthForm.TryReadCredentials(context.Request, form, out _);

        var now = time.GetUtcNow();
        var plan = new AccessTokenPlan("ak_warmup", null, KeyEnvironment.Live.Name(), RequestedScopes.Parse(form["scope"]), ["warmup"], now, TimeSpan.FromMinutes(1));
        var token = writer.Sign(plan, Issuer);
        await OAuthJson.WriteAsync(context, TokenAnswer.Of(token, plan, now));

        var validation = await introspection.ValidateAsync(token, Issuer);
        if (validation.SecurityToken is JsonWebToken jwt)
        {
            await OAuthJson.WriteAsync(context, IntrospectionAnswer.Of(jwt));
        }
    }

    private HttpClient? LoopbackClient()
    {
        // Under a test host there is no socket to call.
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses
            .FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
        if (address is null || !Uri.TryCreate(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return null;
        }

        return new HttpClient { BaseAddress = uri, Timeout = TimeSpan.FromSeconds(2) };
    }

    private static async Task LoopbackAsync(HttpClient? http, int count, CancellationToken cancellationToken)
    {
        if (http is null)
        {
            return;
        }

        for (var i = 0; i < count; i++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri("/health/live", UriKind.Relative), cancellationToken);
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return; // not reachable this way (e.g. bound to another interface): the in-memory part still counts
            }
        }
    }
}
