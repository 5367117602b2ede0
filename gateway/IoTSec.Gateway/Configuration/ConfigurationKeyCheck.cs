using System;
using System.Collections;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.Linq;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace IoTSec.Gateway.Configuration;

/// <summary>
/// Refuses configuration keys under <c>IoTSec</c> that no registered options type has a member
/// for. .NET's binder ignores such keys, so a typo (<c>IoTSec:Est:Prot</c>) would run the
/// gateway on the default it meant to change — for a security product, default deny applies
/// to its own settings too. Every layer is checked: the YAML file, IOTSEC__… environment
/// variables and the command line.
/// </summary>
public static class ConfigurationKeyCheck
{
    /// <summary>The keys of <paramref name="configuration"/> under <c>IoTSec</c> that no registration knows, in order.</summary>
    public static IReadOnlyList<string> UnknownKeys(IConfiguration configuration, IEnumerable<ConfigurationSectionRegistration> registrations)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(registrations);
        var known = registrations
            .Select(r => (Segments: r.Path.Split(':'), r.OptionsType))
            .OrderByDescending(r => r.Segments.Length)
            .ToList();
        var unknown = new List<string>();
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            // Leaves only: sections are listed with a null value.
            if (value is null || !key.StartsWith(YamlConfigurationFile.RootSection, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var segments = key.Split(':');
            if (!string.Equals(segments[0], YamlConfigurationFile.RootSection, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!IsKnown(segments, known))
            {
                unknown.Add(key);
            }
        }

        unknown.Sort(StringComparer.OrdinalIgnoreCase);
        return unknown;
    }

    private static bool IsKnown(string[] segments, List<(string[] Segments, Type OptionsType)> known)
    {
        // The most specific registration that is a prefix of the key decides; a section
        // registered on its own (IoTSec:Est) is also a prefix-free member of a broader one.
        foreach (var (prefix, type) in known)
        {
            if (prefix.Length <= segments.Length && prefix.Select((s, i) => string.Equals(s, segments[i], StringComparison.OrdinalIgnoreCase)).All(match => match)
                && Accepts(type, segments, prefix.Length))
            {
                return true;
            }
        }

        return false;
    }

    // Whether the binder would put a value at segments[index..] of a value of type `type`.
    private static bool Accepts(Type type, string[] segments, int index)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (index == segments.Length)
        {
            // A value for the whole section; "" on a section (an empty YAML mapping) is harmless.
            return true;
        }

        if (IsScalar(type))
        {
            return false;
        }

        if (DictionaryValueType(type) is { } valueType)
        {
            return Accepts(valueType, segments, index + 1);
        }

        if (ElementType(type) is { } elementType)
        {
            return int.TryParse(segments[index], NumberStyles.None, CultureInfo.InvariantCulture, out _)
                && Accepts(elementType, segments, index + 1);
        }

        var property = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => string.Equals(p.Name, segments[index], StringComparison.OrdinalIgnoreCase) && IsBindable(p));
        return property is not null && Accepts(property.PropertyType, segments, index + 1);
    }

    // The binder sets public setters and fills getter-only collections in place; a computed
    // getter (EstOptions.ListenAddress) is not a setting. (A getter-only nested object would be
    // filled in place too: give such a property a setter, as every options class here does.)
    private static bool IsBindable(PropertyInfo property) =>
        property.GetIndexParameters().Length == 0
        && (property.SetMethod is { IsPublic: true }
            || (!IsScalar(property.PropertyType) && (DictionaryValueType(property.PropertyType) is not null || ElementType(property.PropertyType) is not null)));

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)
            || type == typeof(TimeSpan) || type == typeof(DateTime) || type == typeof(DateTimeOffset)
            || type == typeof(Guid) || type == typeof(Uri)
            || TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string));
    }

    private static Type? DictionaryValueType(Type type)
    {
        var dictionary = type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(Dictionary<,>))
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        return dictionary?.GetGenericArguments()[1];
    }

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        if (!typeof(IEnumerable).IsAssignableFrom(type) && !type.IsInterface)
        {
            return null;
        }

        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }
}
