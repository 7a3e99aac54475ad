using Bulwark.Core.Intel.Model;

namespace Bulwark.Core.Intel.Misp;

/// <summary>Collects what one read refused: each problem goes to the catalog and to the read's result.</summary>
internal sealed class MispProblems(string file, IntelCatalog catalog)
{
    private readonly List<IntelProblem> _problems = [];

    public string File => file;

    public IReadOnlyList<IntelProblem> All => _problems;

    public void Add(string where, string message)
    {
        var problem = new IntelProblem(file, where, message);
        _problems.Add(problem);
        catalog.Problem(problem);
    }
}
