using Liaison.Domain.Common;

namespace Liaison.Domain.Tests;

/// <summary>A reply's rich text keeps its formatting and loses everything that runs, loads or styles.</summary>
public sealed class RichTextTests
{
    [Theory]
    [InlineData("<p>已<strong>解决</strong></p><script>alert(1)</script>", "<p>已<strong>解决</strong></p>")]
    [InlineData("<p onclick=\"steal()\">答复</p>", "<p>答复</p>")]
    [InlineData("<img src=x onerror=alert(1)>正文", "正文")]
    [InlineData("<a href=\"javascript:alert(1)\">链接</a>", "链接")]
    [InlineData("<p style=\"position:fixed\">正文</p>", "<p>正文</p>")]
    [InlineData("<iframe src=\"https://example.org\"></iframe><ul><li>一</li></ul>", "<ul><li>一</li></ul>")]
    [InlineData("<style>body{display:none}</style><em>正文</em>", "<em>正文</em>")]
    [InlineData("<font color=red>红</font>", "红")]
    public void Clean_keeps_formatting_and_removes_what_runs(string dirty, string clean) => Assert.Equal(clean, RichText.Clean(dirty));

    [Theory]
    [InlineData("<p><br></p>", false)]
    [InlineData("<script>alert(1)</script>", false)]
    [InlineData("&nbsp;", false)]
    [InlineData("<p>好</p>", true)]
    public void HasText_tells_an_empty_body_from_one_that_says_something(string html, bool expected) =>
        Assert.Equal(expected, RichText.HasText(RichText.Clean(html)));
}
