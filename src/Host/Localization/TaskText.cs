namespace Liaison.Host.Localization;

/// <summary>Marker type for the inbox's and the task page's strings (TaskText.resx is Chinese, TaskText.en.resx English).</summary>
public sealed class TaskText;
