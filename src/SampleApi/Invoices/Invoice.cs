namespace SampleApi.Invoices;

public sealed record Invoice(string Id, string AccountId, string Customer, decimal Amount, string Currency, DateTimeOffset CreatedAt, string CreatedBy);

/// <summary>The body of <c>POST /invoices</c>; every field is checked before anything is stored.</summary>
public sealed record NewInvoice(string? Customer, decimal? Amount, string? Currency);
