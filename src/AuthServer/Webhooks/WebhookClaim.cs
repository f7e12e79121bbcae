using AuthServer.Data;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Webhooks;

/// <summary>
/// Takes a batch of due deliveries for one instance, with a fair share for every account: the endpoints that have
/// waited longest, at most <see cref="EndpointsPerAccount"/> per account and twice <see cref="WebhookOptions.MaxParallel"/>
/// in all, each with at most <see cref="PerEndpoint"/> of its oldest deliveries. So an account whose receivers hang or
/// flood holds only a few of the parallel attempts, and another account's event is not queued behind its deliveries.
/// </summary>
public static class WebhookClaim
{
    public const int PerEndpoint = 10;

    public static int EndpointsPerAccount(WebhookOptions options) => Math.Max(1, options.MaxParallel / 2);

    /// <summary>The claimed deliveries (with their endpoints), and whether due ones were left for the next batch.</summary>
    public static async Task<(List<WebhookDelivery> Batch, bool MoreDue)> ClaimAsync(
        AuthDbContext db, WebhookOptions options, DateTime now, CancellationToken cancellationToken)
    {
        var deliveries = db.Set<WebhookDelivery>();
        var dueNow = deliveries.Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now
            && (d.ClaimedUntil == null || d.ClaimedUntil < now) && d.Endpoint!.Enabled);
        var waiting = await dueNow
            .GroupBy(d => new { d.EndpointId, d.Endpoint!.AccountId })
            .Select(g => new { g.Key.EndpointId, g.Key.AccountId, Oldest = g.Min(d => d.NextAttemptAt) })
            .OrderBy(e => e.Oldest)
            .Take(options.BatchSize)
            .ToListAsync(cancellationToken);
        var endpoints = FairShare([.. waiting.Select(e => new WaitingEndpoint(e.EndpointId, e.AccountId))], options);
        var due = new List<long>();
        var moreDue = endpoints.Count < waiting.Count;
        foreach (var endpointId in endpoints)
        {
            var oldest = await dueNow.Where(d => d.EndpointId == endpointId).OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id)
                .Select(d => d.Id).Take(PerEndpoint + 1).ToListAsync(cancellationToken);
            moreDue |= oldest.Count > PerEndpoint;
            due.AddRange(oldest.Take(Math.Min(PerEndpoint, options.BatchSize - due.Count)));
            if (due.Count == options.BatchSize)
            {
                moreDue = true;
                break;
            }
        }

        if (due.Count == 0)
        {
            return ([], false);
        }

        // The condition is checked again by the update itself: of two instances that read the same rows, only one
        // sets its token on each.
        var token = Guid.NewGuid();
        var until = now + options.ClaimDuration;
        await deliveries
            .Where(d => due.Contains(d.Id) && d.Status == WebhookDeliveryStatus.Pending && (d.ClaimedUntil == null || d.ClaimedUntil < now))
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.ClaimToken, token).SetProperty(d => d.ClaimedUntil, until), cancellationToken);
        var batch = await deliveries.Include(d => d.Endpoint).Where(d => d.ClaimToken == token)
            .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id).ToListAsync(cancellationToken);
        return (batch, moreDue);
    }

    /// <summary>The endpoints to send to, oldest waiting first, at most <see cref="EndpointsPerAccount"/> per account.</summary>
    private static List<string> FairShare(List<WaitingEndpoint> waiting, WebhookOptions options)
    {
        var perAccount = new Dictionary<string, int>();
        var chosen = new List<string>();
        foreach (var endpoint in waiting)
        {
            var taken = perAccount.GetValueOrDefault(endpoint.AccountId);
            if (taken < EndpointsPerAccount(options) && chosen.Count < 2 * options.MaxParallel)
            {
                perAccount[endpoint.AccountId] = taken + 1;
                chosen.Add(endpoint.EndpointId);
            }
        }

        return chosen;
    }

    private sealed record WaitingEndpoint(string EndpointId, string AccountId);
}
