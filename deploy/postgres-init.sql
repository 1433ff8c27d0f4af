-- One database per service (each service owns its store).
CREATE DATABASE registry;
CREATE DATABASE initiatives;
CREATE DATABASE reviews;
CREATE DATABASE awards;
