using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Liaison.Domain.Calendar;

public enum CalendarDayKind
{
    /// <summary>A day off that would otherwise be a working day (public holiday, 放假).</summary>
    Holiday,

    /// <summary>A weekend day that is worked (调休 make-up working day, 上班).</summary>
    Workday,
}

/// <summary>
/// An exception to the Monday–Friday rule. The calendar is data: each year the administrator adds the
/// State Council's announcement; only the exceptions are stored.
/// </summary>
public sealed class CalendarDay
{
    public CalendarDay(DateOnly date, CalendarDayKind kind, string name)
    {
        Date = date;
        Kind = kind;
        Name = name;
    }

    public DateOnly Date { get; private set; }

    public CalendarDayKind Kind { get; private set; }

    public string Name { get; private set; }
}

internal sealed class CalendarDayConfiguration : IEntityTypeConfiguration<CalendarDay>
{
    public void Configure(EntityTypeBuilder<CalendarDay> builder)
    {
        builder.ToTable("calendar_days");
        builder.HasKey(d => d.Date);
        builder.Property(d => d.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.Name).HasMaxLength(100);
        builder.HasData(ChinaCalendar2026.Days);
    }
}
