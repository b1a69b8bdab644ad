using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConfluenceConnector.Core;

/// <summary>JSON for both APIs: camelCase, ISO-8601 dates, nulls omitted on the way out.</summary>
internal static class RefitJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
