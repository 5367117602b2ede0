using Microsoft.VisualStudio.TestTools.UnitTesting;

// Class level: each class works in its own temporary CA directory.
[assembly: Parallelize(Scope = ExecutionScope.ClassLevel)]
