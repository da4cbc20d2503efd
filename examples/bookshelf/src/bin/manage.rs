// Management entry point (runserver, migrate, introspect). The example is a skeleton for `reinhardt-cloud init`: a real project builds its settings here and hands over to the framework dispatcher.
fn main() {}
