using System.Text;
using Microsoft.AspNetCore.Http;

namespace ConfluenceConnector.Tests.Support;

/// <summary>Helpers for simulator fault predicates.</summary>
internal static class Http
{
    /// <summary>Whether a simulator request's body contains <paramref name="text"/>; the body stays readable for the handler.</summary>
    public static bool BodyContains(HttpRequest request, string text)
    {
        request.EnableBuffering();
        using var reader = new StreamReader(request.Body, Encoding.UTF8, leaveOpen: true);
        var body = reader.ReadToEndAsync().GetAwaiter().GetResult();
        request.Body.Position = 0;
        return body.Contains(text, StringComparison.Ordinal);
    }
}
