namespace SampleApi.Invoices;

/// <summary>An invoice; <c>CreatedBy</c> is the key that created it, <c>CreatedByUser</c> the end user it acted for (null for a key's own call).</summary>
public sealed record Invoice(
    string Id, string AccountId, string Customer, decimal Amount, string Currency, DateTimeOffset CreatedAt, string CreatedBy, string? CreatedByUser);

/// <summary>The body of <c>POST /invoices</c>; every field is checked before anything is stored.</summary>
public sealed record NewInvoice(string? Customer, decimal? Amount, string? Currency);
