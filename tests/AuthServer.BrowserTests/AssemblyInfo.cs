// One browser test class at a time: each starts a server and a Chromium, and CI runs the other test assemblies beside them.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
