using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Liaison.Domain.Persistence;

internal static class ModelBuilderExtensions
{
    /// <summary>Enums as their names: readable in plain SQL and safe when members are reordered.</summary>
    public static PropertyBuilder<TEnum> AsText<TEnum>(this PropertyBuilder<TEnum> property) =>
        property.HasConversion<string>().HasMaxLength(40);
}
