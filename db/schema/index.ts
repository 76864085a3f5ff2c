export * from "./enums";
export * from "./users";
export * from "./datasets";
export * from "./models";
export * from "./audit";
