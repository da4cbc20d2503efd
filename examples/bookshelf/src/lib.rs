// The catalogue and loans apps, settings loader and URL routes live here in a full project;
// the example keeps only what `reinhardt-cloud init` reads.
