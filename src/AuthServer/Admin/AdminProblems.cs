using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using AuthServer.Failures;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AuthServer.Admin;

/// <summary>
/// Turns refused requests into RFC 9457 problem details: validation errors name the field, limits say the
/// limit and the count, unreadable JSON says where. Anything else is left to the default 500 problem.
/// </summary>
public sealed partial class AdminProblems(IProblemDetailsService problems, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var context = httpContext;
        var problem = exception switch
        {
            InvalidFieldException invalid => Validation(invalid.Field, invalid.Message),
            BadHttpRequestException { InnerException: JsonException unreadable } => UnreadableJson(unreadable, BodyOf(context)),
            // Minimal APIs refuse a body that is JSON null or missing without an inner exception; the admin
            // endpoints that take a body bind nothing else that could fail.
            BadHttpRequestException { StatusCode: 400, InnerException: null } when BodyOf(context) is not null => NotAnObject(),
            BadHttpRequestException bad => Problem(bad.StatusCode, "Bad request", Secrets.ClientSecret.Redact(bad.Message)),
            NotFoundException notFound => Problem(StatusCodes.Status404NotFound, "Not found", notFound.Message),
            ConflictException conflict => Problem(StatusCodes.Status409Conflict, "Conflict", conflict.Message),
            KeyLimitReachedException limit => LimitReached(limit),
            IdempotencyKeyReusedException reused => Problem(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused", reused.Message),
            InsufficientScopeException scope => InsufficientScope(context, scope),
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

    /// <summary>
    /// The type the endpoint reads its JSON body into, as the serializer sees it; null if it takes none. The
    /// exception handler has cleared the request's endpoint by now; its feature keeps the one that threw.
    /// </summary>
    private JsonTypeInfo? BodyOf(HttpContext context) =>
        (context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint())?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType is { } type ? json.Value.SerializerOptions.GetTypeInfo(type) : null;

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
        problem.Extensions["environment"] = limit.Environment;
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
    /// Names the field System.Text.Json stopped at and says what was wrong with it, without echoing .NET type
    /// names: a reader error is broken JSON; a field the body does not have is unknown; a field it has holds the
    /// wrong type; a failure at the root means the body is not an object.
    /// </summary>
    private static ValidationProblemDetails UnreadableJson(JsonException json, JsonTypeInfo? body)
    {
        // The path names what the caller sent, which could be anything (even a secret pasted as a property name).
        // "$.scopes[1]" names the field "scopes": the problem names fields, the index is in the message.
        var field = json.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..].Split('[')[0] : null;
        if (json.InnerException is JsonException)
        {
            return Validation("body", $"The request body is not valid JSON (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}).");
        }

        if (field is not null)
        {
            var named = Secrets.ClientSecret.Redact(field);
            return json is NullElementException ? Validation(named, $"'{named}' is a list of strings; it cannot contain null.")
                : body?.Properties.Any(p => string.Equals(p.Name, field, StringComparison.OrdinalIgnoreCase)) == false ? Validation(named, $"Unknown field '{named}'.")
                : Validation(named, $"The value of '{named}' has the wrong type or format (dates are ISO 8601, e.g. 2027-01-31T00:00:00Z).");
        }

        // The one fact only the message carries: which required property was missing.
        if (MissingRequiredProperty().Match(json.Message) is { Success: true } missing)
        {
            var required = Secrets.ClientSecret.Redact(missing.Groups[1].Value);
            return Validation(required, $"'{required}' is required (it may be null).");
        }

        return NotAnObject();
    }

    [GeneratedRegex("missing required properties including: '([^']+)'")]
    private static partial Regex MissingRequiredProperty();
}
