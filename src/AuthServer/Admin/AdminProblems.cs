using System.Text.Json;
using System.Text.RegularExpressions;
using AuthServer.Failures;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace AuthServer.Admin;

/// <summary>
/// Turns refused requests into RFC 9457 problem details: validation errors name the field, limits say the
/// limit and the count, unreadable JSON says where. Anything else is left to the default 500 problem.
/// </summary>
public sealed partial class AdminProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var context = httpContext;
        var problem = exception switch
        {
            InvalidFieldException invalid => Validation(invalid.Field, invalid.Message),
            BadHttpRequestException { InnerException: JsonException json } => UnreadableJson(json),
            // What minimal APIs say about a body that is JSON null or missing: "… body … was not provided".
            BadHttpRequestException { StatusCode: 400, InnerException: null } bad when bad.Message.Contains("body", StringComparison.Ordinal) => NotAnObject(),
            BadHttpRequestException bad => Problem(bad.StatusCode, "Bad request", Secrets.ClientSecret.Redact(bad.Message)),
            NotFoundException notFound => Problem(StatusCodes.Status404NotFound, "Not found", notFound.Message),
            ConflictException conflict => Problem(StatusCodes.Status409Conflict, "Conflict", conflict.Message),
            KeyLimitReachedException limit => LimitReached(limit),
            IdempotencyKeyReusedException reused => Problem(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused", reused.Message),
            InsufficientScopeException scope => InsufficientScope(context, scope),
            Data.DatabaseUnavailableException => Unavailable(context),
            _ when Data.DatabaseFailure.IsUnavailable(exception) => Unavailable(context),
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }

        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails Problem(int status, string title, string detail) =>
        new() { Status = status, Title = title, Detail = detail };

    private static ValidationProblemDetails Validation(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is invalid",
            Detail = message,
        };

    private static ValidationProblemDetails NotAnObject() => Validation("body", "The request body must be a JSON object.");

    private static ProblemDetails Unavailable(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "1";
        return Problem(StatusCodes.Status503ServiceUnavailable, "Temporarily unavailable", "The database cannot be reached right now; retry shortly. Nothing was changed.");
    }

    private static ProblemDetails LimitReached(KeyLimitReachedException limit)
    {
        var problem = Problem(StatusCodes.Status409Conflict, "Active key limit reached", limit.Message);
        problem.Extensions["limit"] = limit.Limit;
        problem.Extensions["activeKeys"] = limit.ActiveKeys;
        return problem;
    }

    private static ProblemDetails InsufficientScope(HttpContext context, InsufficientScopeException scope)
    {
        context.Response.Headers.WWWAuthenticate = $"Bearer error=\"insufficient_scope\", scope=\"{scope.RequiredScope}\"";
        var problem = Problem(StatusCodes.Status403Forbidden, "Insufficient scope", scope.Message);
        problem.Extensions["requiredScope"] = scope.RequiredScope;
        return problem;
    }

    /// <summary>
    /// System.Text.Json says what went wrong in its message; this keeps the field it names and rewords the
    /// three cases users meet (unknown field, wrong type, broken JSON) without echoing .NET type names.
    /// </summary>
    private static ValidationProblemDetails UnreadableJson(JsonException json)
    {
        // The path names what the caller sent, which could be anything (even a secret pasted as a property name).
        // "$.scopes[1]" names the field "scopes": the problem names fields, the index is in the message.
        var field = json.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? Secrets.ClientSecret.Redact(path[2..].Split('[')[0]) : null;
        var message = json.Message;
        if (field is not null && json is NullElementException)
        {
            return Validation(field, $"'{field}' is a list of strings; it cannot contain null.");
        }

        if (MissingRequiredProperty().Match(message) is { Success: true } missing)
        {
            var required = Secrets.ClientSecret.Redact(missing.Groups[1].Value);
            return Validation(required, $"'{required}' is required (it may be null).");
        }

        if (field is not null && message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return Validation(field, $"Unknown field '{field}'.");
        }

        if (field is not null && message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return Validation(field, $"The value of '{field}' has the wrong type or format (dates are ISO 8601, e.g. 2027-01-31T00:00:00Z).");
        }

        if (field is null && message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return NotAnObject();
        }

        return Validation("body", $"The request body is not valid JSON (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}).");
    }

    [GeneratedRegex("missing required properties including: '([^']+)'")]
    private static partial Regex MissingRequiredProperty();
}
