namespace Liaison.Host.Components.Shared;

/// <summary>
/// A page that finds nothing (or nothing the user may see) answers 404 with its own body while prerendering. Setting the
/// status while rendering would make the endpoint drop the body (and the status-code middleware send a bare problem
/// document), so the status-code pages are turned off for this response and the status is set as the headers go out.
/// </summary>
public static class NotFoundStatus
{
    /// <param name="http">The prerendering request; null once interactive, when there is no response to mark.</param>
    public static void Answer(HttpContext? http)
    {
        if (http is not { Response.HasStarted: false })
        {
            return;
        }

        if (http.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
        {
            pages.Enabled = false;
        }

        http.Response.OnStarting(() =>
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }
}
