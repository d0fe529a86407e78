using System.Text.Json.Nodes;
using Liaison.Domain.Common;
using Liaison.Workflows.Suggestions;

namespace Liaison.Workflows.Tests.Suggestions;

/// <summary>The completion data the workflow files read, and every bad field reported at once.</summary>
public sealed class SuggestionStepCommandsTests
{
    private static readonly Actor Clerk = new("office-1", "Clerk");

    [Fact]
    public void Assigning_a_lead_and_a_co_handling_unit_gives_the_workflow_both_unit_ids()
    {
        var (lead, co) = (Guid.NewGuid(), Guid.NewGuid());
        var mapped = SuggestionStepCommands.Map(
            "Suggestions.Assign", "Assigned", new JsonObject { ["suggestionId"] = Guid.NewGuid().ToString() },
            new JsonObject { ["unitIds"] = new JsonArray(lead.ToString(), co.ToString()) }, Clerk);
        Assert.Equal(lead.ToString(), mapped.Data["lead"]!["unitId"]!.GetValue<string>());
        Assert.Equal(co.ToString(), mapped.Data["co"]!["unitId"]!.GetValue<string>());
    }

    [Fact]
    public void A_reply_without_its_fields_names_each_missing_one()
    {
        var ex = Assert.Throws<ValidationFailedException>(() => SuggestionStepCommands.Map(
            "Suggestions.Reply", "Replied", [], new JsonObject { ["category"] = "E" }, Clerk));
        Assert.Equal(["category", "task data unitTaskId", "text"], ex.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }
}
