namespace Liaison.Workflows.DueItems;

/// <summary>The kinds of due item; each has one <see cref="IDueItemHandler"/>.</summary>
public static class DueItemKinds
{
    /// <summary>A human task was created: tell its assignee (the evaluation request, the extension to decide, ...).</summary>
    public const string TaskAssigned = "task.assigned";

    /// <summary>A reminder offset of an open task came due: yellow light, reminder to the assignee.</summary>
    public const string TaskReminder = "task.reminder";

    /// <summary>The task's due time passed while it is open: red light, the assignee and the escalation target hear of it.</summary>
    public const string TaskOverdue = "task.overdue";

    /// <summary>The daily digest of overdue items for the liaison office and the supervising leaders.</summary>
    public const string OverdueDigest = "digest.overdue";

    /// <summary>The weekly summary for leaders.</summary>
    public const string WeeklySummary = "summary.weekly";
}
