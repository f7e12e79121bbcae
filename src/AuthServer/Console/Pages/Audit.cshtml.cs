using AuthServer.Audit;
using AuthServer.Data;
using Microsoft.AspNetCore.Mvc;

namespace AuthServer.Console.Pages;

public sealed class AuditModel(AuditQueries audit) : AccountPageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public Page<AuditEntryView> Entries { get; private set; } = new([], 0, PageSize, false);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        PageNumber = Math.Clamp(PageNumber, 1, int.MaxValue / PageSize);
        Entries = await audit.ListAsync(Scope, (PageNumber - 1) * PageSize, PageSize, cancellationToken);
    }
}
