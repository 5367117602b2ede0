using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace IoTSec.NanoGate;

/// <summary>
/// Reads an assembly's metadata and lists every construct that nanoFramework's
/// mscorlib v1 runtime cannot load. The C# compiler accepts user-defined generics when
/// compiling against that mscorlib, but the device's type system has no generic
/// instantiation, so a generic type or method only fails on the device. Catching them in
/// the build is the point of the gate.
/// </summary>
public static class NanoCompatibilityScanner
{
    /// <summary>Returns one human-readable violation per offending definition; empty when the assembly is portable.</summary>
    public static IReadOnlyList<string> Scan(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata)
        {
            return [$"{assemblyPath}: not a .NET assembly (no metadata)"];
        }

        var reader = pe.GetMetadataReader();
        var violations = new List<string>();

        foreach (var handle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(handle);
            var typeName = FullName(reader, type);
            if (type.GetGenericParameters().Count > 0)
            {
                violations.Add($"generic type definition: {typeName}");
            }

            foreach (var methodHandle in type.GetMethods())
            {
                var method = reader.GetMethodDefinition(methodHandle);
                if (method.GetGenericParameters().Count > 0)
                {
                    violations.Add($"generic method definition: {typeName}.{reader.GetString(method.Name)}");
                }
            }
        }

        // A generic instantiation (TypeSpec/MethodSpec) can only point at generics defined
        // above or in mscorlib v1, which has none the runtime supports; report it too so
        // the message names the use site's target.
        foreach (var handle in reader.MethodSpecifications())
        {
            _ = handle;
            violations.Add("generic method instantiation (MethodSpec) present");
            break;
        }

        return violations;
    }

    private static string FullName(MetadataReader reader, TypeDefinition type)
    {
        var name = reader.GetString(type.Name);
        var ns = reader.GetString(type.Namespace);
        if (type.IsNested)
        {
            var parent = reader.GetTypeDefinition(type.GetDeclaringType());
            return FullName(reader, parent) + "+" + name;
        }

        return ns.Length == 0 ? name : ns + "." + name;
    }
}
