using Microsoft.VisualStudio.TestTools.UnitTesting;

// Class level: tests in one class may share a real component (a software TPM, a broker).
[assembly: Parallelize(Scope = ExecutionScope.ClassLevel)]
