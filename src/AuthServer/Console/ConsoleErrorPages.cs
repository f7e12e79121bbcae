using System.Net;
using AuthServer.Data;

namespace AuthServer.Console;

/// <summary>
/// What a person sees when a console request fails: an HTML page in the console's style that says what happened and
/// what to do, with the right status code — never the admin API's JSON, a framework text line or a stack trace.
/// A database that is down, stalled or lost midway is a 503 (each console action is one transaction, so it was saved
/// entirely or not at all); refusals without a page of their own (403, 404, a form without its antiforgery token) get
/// a short explanation. It runs before authentication, so failures while checking the person's cookie are covered too.
/// </summary>
internal sealed partial class ConsoleErrorPages(RequestDelegate next, ILogger<ConsoleErrorPages> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var unavailable = DatabaseFailure.IsUnavailable(exception);
            if (unavailable)
            {
                LogUnavailable(logger, context.Request.Method, context.Request.Path, exception.GetType().Name);
            }
            else
            {
                LogFailed(logger, exception, context.Request.Method, context.Request.Path);
            }

            context.Response.Clear();
            context.Response.StatusCode = unavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
            if (unavailable)
            {
                context.Response.Headers.RetryAfter = "5";
            }

            await WriteAsync(context);
            return;
        }

        if (context.Response is { HasStarted: false, StatusCode: >= 400, ContentLength: null } && context.Response.ContentType is null)
        {
            await WriteAsync(context);
        }
    }

    private static Task WriteAsync(HttpContext context)
    {
        var (title, text) = Explain(context.Response.StatusCode);
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{WebUtility.HtmlEncode(title)} · AuthServer console</title>
            <link rel="stylesheet" href="{ConsoleSetup.BasePath}/console.css">
            </head>
            <body>
            <header class="top"><a class="brand" href="{ConsoleSetup.BasePath}">AuthServer console</a></header>
            <main id="main">
            <h1>{WebUtility.HtmlEncode(title)}</h1>
            <p>{WebUtility.HtmlEncode(text)}</p>
            <p><a href="{ConsoleSetup.BasePath}">Back to your accounts</a></p>
            </main>
            </body>
            </html>
            """);
    }

    public static (string Title, string Text) Explain(int status) => status switch
    {
        StatusCodes.Status503ServiceUnavailable => ("Temporarily unavailable",
            "AuthServer cannot reach its database right now, so this request did not complete. A change is saved entirely or not at all: nothing was changed halfway. Try again in a moment, then check the page to see whether your change is there."),
        StatusCodes.Status400BadRequest => ("The form could not be accepted",
            "The form was not sent from this console page, or it expired. Go back, reload the page and send it again."),
        StatusCodes.Status403Forbidden => ("Not allowed",
            "Only administrators of this account can do that. Ask an administrator of the account."),
        StatusCodes.Status404NotFound => ("Not found",
            "There is nothing here, or it belongs to an account you are not a member of."),
        StatusCodes.Status405MethodNotAllowed => ("Not allowed", "This page cannot be used that way. Go back and use the page's own buttons."),
        StatusCodes.Status500InternalServerError => ("Something went wrong",
            "AuthServer could not complete this request. Check the page to see whether your change is there before trying again, and tell an operator if it keeps happening."),
        _ => ("The request could not be completed", $"AuthServer answered {status}. Go back and try again."),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Console {Method} {Path}: the database is unavailable ({Failure}); answered 503.")]
    private static partial void LogUnavailable(ILogger logger, string method, string path, string failure);

    [LoggerMessage(Level = LogLevel.Error, Message = "Console {Method} {Path} failed; answered 500.")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method, string path);
}
