using System.Text.Json;
using AuthServer.Audit;
using AuthServer.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AuthServer.Leaks;

/// <summary>
/// <c>POST /secret-scanning/github</c>: GitHub's secret-scanning partner format. The body is a JSON list of
/// <c>{token, type, url, source}</c>, signed (<see cref="LeakReportSignature"/>); the answer lists each secret by its
/// SHA-256 with <c>true_positive</c> or <c>false_positive</c>. Refused, with RFC 9457 problem details and nothing
/// changed: a bad or missing signature (401), a body that is too large (413) or not such a list (400), a report
/// already received (409), more than <see cref="LeakReportOptions.ReportsPerMinute"/> (429, by the rate limiter).
/// </summary>
public static class LeakReportEndpoint
{
    public const string Path = "/secret-scanning/github";
    public const string RateLimitPolicy = "leak-reports";
    private const int MaxBodyBytes = 1024 * 1024;

    public static async Task<Results<Ok<IReadOnlyList<LeakVerdict>>, ProblemHttpResult>> HandleAsync(
        HttpContext context, LeakReportSignature signature, LeakReportService service, IOptions<LeakReportOptions> options)
    {
        var cancellationToken = context.RequestAborted;
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Report too large", $"A report is at most {MaxBodyBytes} bytes.");
        }

        var body = await ReadAtMostAsync(context.Request.Body, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Report too large", $"A report is at most {MaxBodyBytes} bytes.");
        }

        if (!signature.Verifies(context.Request.Headers[LeakReportSignature.KeyIdentifierHeader].FirstOrDefault(),
                context.Request.Headers[LeakReportSignature.SignatureHeader].FirstOrDefault(), body))
        {
            return Problem(StatusCodes.Status401Unauthorized, "Signature not verified",
                $"The report must be signed with a configured key ({LeakReportSignature.KeyIdentifierHeader}, {LeakReportSignature.SignatureHeader}).");
        }

        if (Parse(body) is not { } secrets)
        {
            return Problem(StatusCodes.Status400BadRequest, "Not a report", "The body must be a JSON list of {\"token\", \"type\", \"url\", \"source\"} objects.");
        }

        if (secrets.Count > options.Value.MaxSecretsPerReport)
        {
            return Problem(StatusCodes.Status400BadRequest, "Report too large", $"A report lists at most {options.Value.MaxSecretsPerReport} secrets.");
        }

        try
        {
            if (await service.WasReceivedAsync(body, cancellationToken))
            {
                return Problem(StatusCodes.Status409Conflict, "Report already received", "This report was received before and acted on; nothing was done again.");
            }

            var actor = new Actor("leak-report:github", context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            var verdicts = await service.ActAsync(secrets, actor, cancellationToken);
            await service.RememberAsync(body, cancellationToken);
            return TypedResults.Ok(verdicts);
        }
        catch (Exception exception) when (DatabaseFailure.IsUnavailable(exception))
        {
            context.Response.Headers.RetryAfter = "1";
            return Problem(StatusCodes.Status503ServiceUnavailable, "Database unavailable", "The report could not be acted on; send it again shortly.");
        }
    }

    private static List<ReportedSecret>? Parse(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var secrets = new List<ReportedSecret>();
            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("token", out var token) || token.ValueKind != JsonValueKind.String)
                {
                    return null;
                }

                secrets.Add(new ReportedSecret(token.GetString(), Text(item, "type"), Text(item, "url"), Text(item, "source")));
            }

            return secrets;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement item, string name)
    {
        var value = item.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String ? property.GetString() : null;
        return value is { Length: > 500 } ? value[..500] : value;
    }

    private static async Task<byte[]?> ReadAtMostAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
