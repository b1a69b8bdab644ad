using DurableTask.AzureStorage;

namespace ConfluenceConnector.Cli.Engine.AzureStorage;

/// <summary>
/// Type binding of the Azure Storage backend's queue messages (JSON with <c>$type</c> names) for events that come
/// from the in-process gRPC sidecar. The sidecar fills the <c>Tags</c> of the events it creates with protobuf
/// <c>Google.Protobuf.Collections.MapField&lt;string, string&gt;</c> objects, which the backend writes under their
/// type name but cannot read back (<c>Type.GetType</c> without an assembly name fails, so the message never
/// dequeues). Tags are written, and read, as <see cref="Dictionary{TKey, TValue}"/> of strings; every other type
/// keeps the backend's own naming (full name, no assembly).
/// </summary>
public sealed class ProtobufMapTypeBinder : ICustomTypeBinder
{
    private const string MapFieldPrefix = "Google.Protobuf.Collections.MapField`2";

    private static readonly Type Tags = typeof(Dictionary<string, string>);

    public void BindToName(Type serializedType, out string assemblyName, out string typeName)
    {
        assemblyName = null!;
        typeName = IsMapField(serializedType.FullName) ? Tags.FullName! : serializedType.FullName!;
    }

    public Type BindToType(string assemblyName, string typeName) =>
        IsMapField(typeName) ? Tags : Type.GetType(typeName, throwOnError: true)!;

    private static bool IsMapField(string? typeName) => typeName?.StartsWith(MapFieldPrefix, StringComparison.Ordinal) == true;
}
