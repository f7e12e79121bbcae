using System.Security.Claims;
using AuthServer.ResourceServer;
using AuthServer.ResourceServer.Scopes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace SampleApi.Invoices;

public static class InvoiceEndpoints
{
    public const string ReadScope = "invoices:read";
    public const string WriteScope = "invoices:write";
    private const int MaxCustomerLength = 200;

    public static IEndpointRouteBuilder MapInvoiceEndpoints(this IEndpointRouteBuilder app)
    {
        var invoices = app.MapGroup("/invoices");
        invoices.MapGet("/", List).RequireScope(ReadScope);
        invoices.MapGet("/{id}", Get).RequireAuthorization(ReadScope); // the named policy, as a controller's [Authorize(Policy = ...)] uses it
        invoices.MapPost("/", Create).RequireScope(WriteScope);
        invoices.MapGet("/events", InvoiceEvents.Open).RequireScope(ReadScope);
        return app;
    }

    /// <summary><c>GET /whoami</c>: any valid token or API key, whatever its scopes; shows what the API sees.</summary>
    public static IEndpointRouteBuilder MapCallerEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet("/whoami", (ClaimsPrincipal user) => TypedResults.Ok(new
        {
            keyId = user.GetKeyId(),
            publishableKey = user.GetPublishableKey(),
            endUserId = user.GetEndUserId(),
            accountId = user.GetAccountId(),
            environment = user.GetEnvironment(),
            scopes = user.GetScopes().Order(StringComparer.Ordinal),
            expiresAt = user.GetExpiresAt(),
            credential = user.IsApiKey() ? "api_key" : "access_token",
        })).RequireAuthorization();
        return app;
    }

    private static Ok<IReadOnlyList<Invoice>> List(ClaimsPrincipal user, InvoiceBook book) =>
        TypedResults.Ok(book.ListFor(AccountOf(user)));

    private static Results<Ok<Invoice>, ProblemHttpResult> Get(string id, ClaimsPrincipal user, InvoiceBook book) =>
        book.Find(AccountOf(user), id) is { } invoice
            ? TypedResults.Ok(invoice)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such invoice", detail: $"This account has no invoice '{id}'.");

    private static Results<Created<Invoice>, ValidationProblem> Create(NewInvoice body, ClaimsPrincipal user, InvoiceBook book)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Customer) || body.Customer.Length > MaxCustomerLength)
        {
            errors["customer"] = [$"A customer name of 1 to {MaxCustomerLength} characters is required."];
        }

        if (body.Amount is not > 0)
        {
            errors["amount"] = ["The amount must be a positive number."];
        }

        if (body.Currency is not { Length: 3 } currency || !currency.All(char.IsAsciiLetterUpper))
        {
            errors["currency"] = ["The currency is a three-letter ISO 4217 code, e.g. EUR."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var invoice = book.Add(AccountOf(user), user.GetKeyId() ?? "unknown", user.GetEndUserId(), body.Customer!.Trim(), body.Amount!.Value, body.Currency!);
        return TypedResults.Created($"/invoices/{invoice.Id}", invoice);
    }

    // Every AuthServer token carries account_id; a token without it never passes validation of the claims below.
    internal static string AccountOf(ClaimsPrincipal user) => user.GetAccountId() ?? string.Empty;
}
