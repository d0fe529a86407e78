using System.Globalization;
using System.Text;
using Liaison.Domain.Persistence;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Liaison.Domain.Analysis;

/// <summary>
/// The data half of the Analysis migration, shared by both providers: the shipped taxonomy, and the
/// suggestions' free-text fields mapped onto it (known names to codes; any other value becomes a field of
/// its own, so no existing suggestion loses its field).
/// </summary>
internal static class AnalysisMigrationData
{
    public static void Seed(MigrationBuilder migrationBuilder, DatabaseProvider provider)
    {
        // SQLite keeps instants as UTC ticks (ProviderConventions); PostgreSQL as timestamptz.
        var epoch = provider == DatabaseProvider.Sqlite
            ? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks.ToString(CultureInfo.InvariantCulture)
            : "CAST('2026-01-01T00:00:00Z' AS timestamptz)";
        var sql = new StringBuilder();
        foreach (var (field, order) in AnalysisDefaults.Fields.Select((f, i) => (f, i)))
        {
            sql.Append(CultureInfo.InvariantCulture, $"INSERT INTO analysis_fields (code, name, english_name, keywords, sort_order, active, updated_at) VALUES ({Quote(field.Code)}, {Quote(field.Name)}, {Quote(field.English)}, {Quote(field.Keywords)}, {(order + 1) * 10}, TRUE, {epoch});\n");
        }

        foreach (var (name, code) in AnalysisDefaults.LegacyFieldNames)
        {
            sql.Append(CultureInfo.InvariantCulture, $"UPDATE suggestions SET field = {Quote(code)} WHERE field = {Quote(name)};\n");
        }

        sql.Append(CultureInfo.InvariantCulture, $"INSERT INTO analysis_fields (code, name, english_name, keywords, sort_order, active, updated_at) SELECT DISTINCT field, field, NULL, NULL, 1000, TRUE, {epoch} FROM suggestions WHERE field IS NOT NULL AND field NOT IN (SELECT code FROM analysis_fields);\n");
        migrationBuilder.Sql(sql.ToString());
    }

    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
