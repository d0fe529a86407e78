namespace Liaison.Host.Localization;

/// <summary>Marker type for the dashboard's strings (DashboardText.resx is Chinese, DashboardText.en.resx English).</summary>
public sealed class DashboardText;
