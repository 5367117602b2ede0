using System;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace IoTSec.Gateway.Forwarder;

/// <summary>
/// JSON Merge Patch (RFC 7396) over <see cref="JsonNode"/>: the difference of two documents,
/// applying a patch, and composing two patches into one (what the spool does when it merges a
/// device's pending deltas under disk pressure). A merge patch cannot carry a member whose
/// value is JSON null (null means "remove", RFC 7396 §1): such members count as absent.
/// </summary>
public static class MergePatch
{
    /// <summary>
    /// The patch that turns <paramref name="from"/> into <paramref name="to"/>: changed and new
    /// members with their new value, removed members as null, nested objects recursively,
    /// anything else (arrays, numbers, strings) replaced whole. Empty when nothing changed.
    /// </summary>
    public static JsonObject Diff(JsonObject from, JsonObject to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var patch = new JsonObject();
        foreach (var (name, oldValue) in from)
        {
            if (oldValue is not null && (!to.TryGetPropertyValue(name, out var newValue) || newValue is null))
            {
                patch[name] = null;
            }
        }

        foreach (var (name, newValue) in to)
        {
            if (newValue is null)
            {
                continue;
            }

            from.TryGetPropertyValue(name, out var oldValue);
            if (oldValue is JsonObject oldObject && newValue is JsonObject newObject)
            {
                var inner = Diff(oldObject, newObject);
                if (inner.Count > 0)
                {
                    patch[name] = inner;
                }
            }
            else if (oldValue is null || !JsonNode.DeepEquals(oldValue, newValue))
            {
                patch[name] = newValue is JsonObject newObjectValue ? WithoutNulls(newObjectValue) : newValue.DeepClone();
            }
        }

        return patch;
    }

    /// <summary>RFC 7396 §2 MergePatch(target, patch), on a copy: <paramref name="target"/> is not changed.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result.TryGetPropertyValue(name, out var current);
                var merged = Apply(current, value);
                result.Remove(name);
                result[name] = merged;
            }
        }

        return result;
    }

    /// <summary>
    /// One patch with the effect of applying <paramref name="first"/> then <paramref name="second"/>
    /// to any document: Apply(x, result) equals Apply(Apply(x, first), second). Not always
    /// possible: when <paramref name="first"/> sets a member to a non-object (or removes it) and
    /// <paramref name="second"/> then patches it as an object, the result would have to replace
    /// an object whole, which a merge patch cannot say without knowing the document (RFC 7396
    /// merges objects). Then it returns false and the caller sends a snapshot instead.
    /// </summary>
    public static bool TryCompose(JsonObject first, JsonObject second, [NotNullWhen(true)] out JsonObject? result)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        result = (JsonObject)first.DeepClone();
        foreach (var (name, value) in second)
        {
            var present = result.TryGetPropertyValue(name, out var earlier);
            JsonNode? composed;
            if (value is JsonObject secondObject && present)
            {
                if (earlier is not JsonObject firstObject || !TryCompose(firstObject, secondObject, out var inner))
                {
                    result = null;
                    return false;
                }

                composed = inner;
            }
            else
            {
                // Absent from the first patch: the second still patches the original member.
                composed = value?.DeepClone();
            }

            result.Remove(name);
            result[name] = composed;
        }

        return true;
    }

    /// <summary>A copy of <paramref name="value"/> without null members (at any depth), as Apply would leave it.</summary>
    private static JsonObject WithoutNulls(JsonObject value) => (JsonObject)Apply(new JsonObject(), value)!;
}
