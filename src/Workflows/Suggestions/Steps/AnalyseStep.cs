using System.Text.Json;
using System.Text.Json.Nodes;
using Liaison.Domain.Handling;
using Liaison.Domain.Suggestions;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Tasks;

namespace Liaison.Workflows.Suggestions.Steps;

/// <summary>分析: field, similar items handled together (并案), whether it is a key suggestion and its leaders.</summary>
public sealed class AnalyseStep : SuggestionTaskStep
{
    private static readonly FormField Field = new("field", FieldType.FieldOfWork, new("领域", "Field"), Required: true, new("从领域分类中选择；分析建议的领域已预选。", "Chosen from the taxonomy; the analysis' proposal comes preselected."), MaxLength: 100);
    private static readonly FormField Linked = new("linkedSuggestionIds", FieldType.Suggestions, new("并案办理的建议", "Handled together with"), Help: new("内容相同或相近、一并交办的建议；每位代表仍各自收到答复。", "Similar items assigned with this one; every deputy still gets a reply."));

    public override TaskDeclaration Declaration { get; } = new(
        "Suggestions.Analyse",
        new("分析", "Analyse"),
        new("确定领域、查找相似建议、决定是否列为重点建议。", "Field, similar items and whether it is a key suggestion."),
        StepTexts.Office,
        [
            new("Ordinary", new("一般建议", "Ordinary"), Field, Linked),
            new(
                "Key",
                new("重点建议", "Key suggestion"),
                Field,
                new FormField("supervisingLeaderId", FieldType.Leader, new("督办领导", "Supervising leader"), Required: true),
                new FormField("leadingLeaderId", FieldType.Leader, new("领办领导", "Leading leader"), Required: true),
                Linked),
        ]);

    public override StepDefaults Defaults { get; } = new(AssigneeKind.Role, SuggestionRoles.LiaisonOffice, Due: "5wd");

    public override async ValueTask<JsonObject?> CompleteAsync(TaskAction action, CancellationToken cancellationToken)
    {
        RequireOffice(action);
        var suggestion = action.TaskId("suggestionId");
        var isKey = action.OutcomeName == "Key";
        var field = action.Form.RequiredText("field");
        var supervising = action.Form.Id("supervisingLeaderId");
        var done = await Send(action, new ClassifySuggestion(suggestion, field, isKey, action.Form.Id("leadingLeaderId"), supervising, ActorOf(action)), cancellationToken);
        var linked = action.Form.Ids("linkedSuggestionIds");
        if (linked.Count > 0)
        {
            await Send(action, new LinkSimilarSuggestions(suggestion, linked, ActorOf(action)), cancellationToken);
        }

        var result = new JsonObject { ["isKey"] = isKey, ["field"] = field };

        // 并案: an item linked to a primary is handled with it; the workflow waits for the primary's reply instead of assigning it.
        if (await Send(action, new HandleWithPrimary(suggestion, ActorOf(action)), cancellationToken) is { } withPrimary)
        {
            result["withPrimary"] = JsonSerializer.SerializeToNode(withPrimary, JsonSerializerOptions.Web);
        }
        if (supervising is { } leader)
        {
            result["supervisingLeaderId"] = leader.ToString();
        }

        if (action.Form.Id("leadingLeaderId") is { } leading && isKey)
        {
            result["leadingLeaderId"] = leading.ToString();
        }

        return Result(done, result);
    }
}
