using Bulwark.Core.Findings;

namespace Bulwark.Core.Tests.Findings;

public sealed class RemediationStepsTests
{
    [Fact]
    public void Shared_sentences_are_kept_once_where_they_first_appear()
    {
        var steps = RemediationSteps.From(
        [
            "Install KB5000871. Treat the server as compromised: hunt for web shells.",
            "Install KB5000871. Find the file the reset wrote (e.g. an .aspx under owa\\auth). Treat the server as compromised: hunt for web shells.",
            "Treat the server as compromised: hunt for web shells.",
            "",
            "Review the client address.",
        ]);

        Assert.Equal(
            [
                "Install KB5000871. Treat the server as compromised: hunt for web shells.",
                "Find the file the reset wrote (e.g. an .aspx under owa\\auth).",
                "Review the client address.",
            ],
            steps);
    }
}
