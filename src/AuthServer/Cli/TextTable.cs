namespace AuthServer.Cli;

/// <summary>Left-aligned columns, two spaces apart, for the text output of list commands.</summary>
internal static class TextTable
{
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.Prepend(headers).ToList();
        var widths = headers.Select((_, column) => all.Max(row => row[column].Length)).ToArray();
        foreach (var row in all)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd());
        }

        if (all.Count == 1)
        {
            output.WriteLine("(none)");
        }
    }

    public static string Time(DateTime? value, string none = "-") => value?.ToString("yyyy-MM-dd HH:mm'Z'") ?? none;
}
