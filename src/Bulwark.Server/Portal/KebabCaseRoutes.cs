using System.Text;
using Microsoft.AspNetCore.Mvc.ApplicationModels;

namespace Bulwark.Server.Portal;

/// <summary>Page routes in kebab case: the page <c>/Account/SignIn</c> answers at <c>/account/sign-in</c>.</summary>
public sealed class KebabCaseRoutes : IPageRouteModelConvention
{
    public void Apply(PageRouteModel model)
    {
        foreach (var selector in model.Selectors)
        {
            if (selector.AttributeRouteModel?.Template is { } template)
            {
                selector.AttributeRouteModel.Template = string.Join('/', template.Split('/').Select(Kebab));
            }
        }
    }

    internal static string Kebab(string segment)
    {
        if (segment.StartsWith('{'))
        {
            return segment;
        }

        var sb = new StringBuilder(segment.Length + 4);
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && segment[i - 1] != '-')
                {
                    sb.Append('-');
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
